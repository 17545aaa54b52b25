proctrail search --comm nosuchcommand

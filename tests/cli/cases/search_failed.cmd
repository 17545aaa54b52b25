proctrail search --failed

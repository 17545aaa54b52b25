proctrail search --exe '*/vim*'

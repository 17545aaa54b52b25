proctrail search --user no-such-user-here

proctrail search --user 4242 --comm sh

proctrail --version

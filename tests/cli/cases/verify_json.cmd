proctrail --json verify --quick

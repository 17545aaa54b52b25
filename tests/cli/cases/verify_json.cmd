cd "$DATA" && proctrail --db fixture.db --json verify --quick

cd "$DATA" && proctrail --db fixture.db verify

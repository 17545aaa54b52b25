cd "$DATA" && proctrail --db trunc.db verify

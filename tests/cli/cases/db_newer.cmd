cd "$DATA" && proctrail --db newer.db show 1

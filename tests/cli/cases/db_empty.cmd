cd "$DATA" && proctrail --db empty.db ps

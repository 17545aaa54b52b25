cd "$DATA" && proctrail --db . ps

cd "$DATA" && proctrail --db plain.db tree 1

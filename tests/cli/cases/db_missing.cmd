cd "$DATA" && proctrail --db nope.db tree 1

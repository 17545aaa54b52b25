cd "$DATA" && proctrail --db corrupt.db tree 1

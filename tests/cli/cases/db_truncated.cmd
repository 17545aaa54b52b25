cd "$DATA" && proctrail --db trunc.db search --comm x

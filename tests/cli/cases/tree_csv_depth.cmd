proctrail tree 1000 --csv --depth 1

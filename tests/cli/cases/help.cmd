proctrail --help; proctrail tree --help; proctrail help sql

proctrail --db "$DATA/trunc.db" verify

# a parent and an event pointing nowhere (orphan.sql): problems, exit 6
proctrail --db "$DATA/orphan.db" verify

# a parent and an event pointing nowhere (orphan.sql): problems, exit 6
cd "$DATA" && proctrail --db orphan.db verify

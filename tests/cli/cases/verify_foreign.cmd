proctrail --db "$DATA/plain.db" verify; echo "rc=$?"
proctrail --db "$DATA/corrupt.db" verify; echo "rc=$?"
proctrail --db "$DATA/empty.db" verify

cd "$DATA" || exit
proctrail --db plain.db verify; echo "rc=$?"
proctrail --db corrupt.db verify; echo "rc=$?"
proctrail --db empty.db verify

cd "$DATA" && PROCTRAIL_DB=plain.db proctrail tree 1; echo "rc=$?"
PROCTRAIL_DB=fixture.db proctrail --db plain.db tree 1

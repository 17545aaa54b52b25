# SQLite's own message reaches the user for a schema error (exit 3), not
# "Input/output error"
cd "$DATA" && proctrail --db nogap.db gaps

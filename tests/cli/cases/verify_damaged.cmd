# damage no collector writes: a parent cycle, an end before the start, a
# negative gap count; each a named check, each an error (exit 6)
cd "$DATA" && proctrail --db damaged.db verify

# A damaged page (a b-tree page header overwritten) in a file that still
# opens: verify reports what integrity_check finds and exits 6.  (A file cut
# short does not open at all: verify_truncated, exit 3.)
cp "$DATA/fixture.db" "$tmp/bad.db"
printf '\015\000\000\000\377\377' | dd of="$tmp/bad.db" bs=4096 seek=14 conv=notrunc 2>/dev/null
cd "$tmp" && proctrail --db bad.db --json verify >"$tmp/v.json"
rc=$?
sed -n 's/.*"result": "\([a-z]*\)".*/result \1/p; s/.*"check": "integrity_check", "status": "\([a-z]*\)".*/integrity_check \1/p' "$tmp/v.json"
exit $rc

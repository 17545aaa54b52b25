# Incremental export: a first run on the fixture, then a second on the same
# database after more.sql was written to it (later.db).  The second run
# prints only what is new: the end of vim (id 9, final) and the new rows.
# No record is repeated, none is missing (compared with a full export).
cd "$tmp" || exit
c=cursor
proctrail --db "$DATA/fixture.db" export --cursor-file "$c" --kind all >"$tmp/run1"
proctrail --db "$DATA/later.db" export --cursor-file "$c" --kind all >"$tmp/run2"
echo "== second run"
cat "$tmp/run2"
echo "== cursor"
cat "$c"
echo "== third run (nothing new)"
proctrail --db "$DATA/later.db" export --cursor-file "$c" --kind all
proctrail --db "$DATA/later.db" export --since @0 --kind all >"$tmp/full"
key() { sed 's/^{"type":"\([a-z]*\)".*"boot_id":"[^"]*","id":\([0-9]*\),\("final":\([a-z]*\)\)\{0,1\}.*/\1 \2 \4/'; }
echo "== duplicates (type id final)"
cat "$tmp/run1" "$tmp/run2" | key | sort | uniq -d
echo "== records missing or extra (type id)"
cat "$tmp/run1" "$tmp/run2" | key | cut -d' ' -f1,2 | sort -u >"$tmp/got"
key <"$tmp/full" | cut -d' ' -f1,2 | sort -u >"$tmp/want"
diff "$tmp/want" "$tmp/got" && echo none
echo "== final process records differing from a full export"
grep '"final":true' "$tmp/full" >"$tmp/final"
cat "$tmp/run1" "$tmp/run2" | grep -Fxvf - "$tmp/final" || echo none
echo "== another database's cursor"
proctrail --db "$DATA/plain.db" export --cursor-file "$c" >/dev/null 2>&1; echo "rc=$?"
sed -i 's/^database .*/database 1 x/' "$c"
proctrail --db "$DATA/later.db" export --cursor-file "$c"; echo "rc=$?"

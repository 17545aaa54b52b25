# The commands and queries this round added to docs/query.md,
# docs/schema.md and proctrail(1), run as written
proctrail sql -- 'SELECT ?1 AS n' -5
cp "$DATA/fixture.db" "$tmp/f.db"
timeout 1 "$PT" --db "$tmp/f.db" follow --comm sshd --json; echo "rc=$?"
timeout 1 "$PT" --db "$tmp/f.db" search -f --failed; echo "rc=$?"
proctrail ps --at "yesterday 03:12"; echo "rc=$?"
proctrail sql "SELECT e.id, e.mono + coalesce((SELECT c.mono_offset FROM clock c
  WHERE c.session = e.session AND c.mono <= e.mono ORDER BY c.mono DESC
  LIMIT 1), s.mono_offset) AS wall FROM event e JOIN session s ON s.id = e.session
  WHERE e.id <= 3 ORDER BY e.id"
# docs/query.md: the argv functions of proctrail sql
proctrail sql "SELECT id, pt_argv(argv) AS text, pt_argv_has(argv, 'c echo') AS has,
  pt_argv_glob(argv, 'sh *') AS glob FROM cmdline WHERE id IN (4, 5) ORDER BY id"

# Parse the JSON lines back (python3, else sqlite3's JSON functions) and
# compare them with the database, field by field, bytes as hex.
proctrail --db "$DATA/later.db" export --since @0 --kind all >"$tmp/x.jsonl"
proctrail --db "$DATA/later.db" --csv sql "SELECT (SELECT count(*) FROM process) AS process,
  (SELECT count(*) FROM exec) AS exec, (SELECT count(*) FROM event) AS event,
  (SELECT count(*) FROM gap) AS gap" >"$tmp/db"
proctrail --db "$DATA/later.db" --csv sql "SELECT v.id, v.pid, v.parent, p.start,
  p.end, v.state, v.exit_code, v.signal, p.flags, hex(CAST(p.comm AS BLOB)) AS comm,
  hex(c.argv) AS argv FROM processes v JOIN process p ON p.id = v.id
  LEFT JOIN exec x ON x.id = p.image LEFT JOIN cmdline c ON c.id = x.cmdline
  ORDER BY v.id" >>"$tmp/db"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$tmp/x.jsonl" >"$tmp/back" <<'PY'
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n = collections.Counter(r["type"] for r in recs)
print("process,exec,event,gap")
print("%d,%d,%d,%d" % (n["process"], n["exec"], n["event"], n["gap"]))
print("id,pid,parent,start,end,state,exit_code,signal,flags,comm,argv")
bits = ["snapshot", "start-unknown", "end-unknown", "gap", "parent-unknown",
        "pid-reused", "adopted"]
v = lambda x: "" if x is None else str(x)
for r in sorted((r for r in recs if r["type"] == "process"), key=lambda r: r["id"]):
    argv = "" if r["argv"] is None else "".join(a + "\0" for a in r["argv"]).encode().hex().upper()
    flags = sum(1 << bits.index(f) for f in r["flags"])
    print(",".join([str(r["id"]), str(r["pid"]), v(r["parent_id"]), str(r["start_ns"]),
        v(r["end_ns"]), r["state"], v(r["exit_code"]), v(r["signal"]), str(flags),
        r["comm"].encode().hex().upper(), argv]))
PY
else
	sqlite3 :memory: >"$tmp/back" <<EOF2
.mode csv
.headers on
CREATE TABLE r AS SELECT value AS j FROM json_each('[' ||
  rtrim(replace(CAST(readfile('$tmp/x.jsonl') AS TEXT), char(10), ','), ',') || ']');
SELECT sum(j->>'type' = 'process') AS process, sum(j->>'type' = 'exec') AS exec,
  sum(j->>'type' = 'event') AS event, sum(j->>'type' = 'gap') AS gap FROM r;
SELECT j->>'id' AS id, j->>'pid' AS pid, j->>'parent_id' AS parent,
  j->>'start_ns' AS start, j->>'end_ns' AS "end", j->>'state' AS state,
  j->>'exit_code' AS exit_code, j->>'signal' AS signal,
  (SELECT total(CASE f.value WHEN 'snapshot' THEN 1 WHEN 'start-unknown' THEN 2
    WHEN 'end-unknown' THEN 4 WHEN 'gap' THEN 8 WHEN 'parent-unknown' THEN 16
    WHEN 'pid-reused' THEN 32 WHEN 'adopted' THEN 64 END)
    FROM json_each(j->'flags') f) AS flags,
  hex(CAST(j->>'comm' AS BLOB)) AS comm,
  CASE WHEN j->>'argv' IS NOT NULL THEN (SELECT hex(group_concat(
    CAST(a.value AS BLOB) || x'00', '')) FROM json_each(j->'argv') a) END AS argv
FROM r WHERE j->>'type' = 'process' ORDER BY j->>'id';
EOF2
fi
sed -i 's/\.0,/,/; s/\r$//' "$tmp/back"
diff "$tmp/db" "$tmp/back" && echo "round trip: identical"
head -2 "$tmp/db"

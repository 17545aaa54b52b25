# A kernel thread (empty argv) reads as ps shows it, [name], in tables and
# stays an empty list in JSON; double-width characters keep columns aligned
cp "$DATA/fixture.db" "$tmp/k.db"
sqlite3 "$tmp/k.db" "INSERT INTO process(id, boot, tgid, start_ticks, start, ppid, comm, image, flags)
  VALUES (900, 1, 2, 1, 1714521601000000000, 0, 'kthreadd', 900, 1);
  INSERT INTO cmdline(argv) VALUES (x'');
  INSERT INTO exec(id, process, time, cmdline, comm, capture)
  VALUES (900, 900, 1714521601000000000,
  (SELECT id FROM cmdline WHERE argv = x''), 'kthreadd', 4385);
  INSERT INTO process(id, boot, tgid, start_ticks, start, ppid, comm, image, flags)
  VALUES (901, 1, 4000, 1, 1714521601000000000, 0, '日本語', 901, 1);
  INSERT INTO cmdline(argv) VALUES (CAST('日本語 ' AS BLOB) || x'00');
  INSERT INTO exec(id, process, time, cmdline, comm, capture)
  VALUES (901, 901, 1714521601000000000, last_insert_rowid(), '日本語', 4385)"
proctrail --db "$tmp/k.db" search --pid 2
proctrail --db "$tmp/k.db" search --pid 4000
proctrail --db "$tmp/k.db" --json search --pid 2 | grep -o '"argv": [^}]*'

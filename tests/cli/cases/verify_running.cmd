# instances recorded as running in this boot: one whose PID is gone, one
# whose PID is now another process (other start ticks), one still there
# (PID 1 with its real start ticks): the first two are named (warning)
tmp=$(mktemp -d)
cp "$DATA/fixture.db" "$tmp/r.db"
ticks=$(sed 's/.*) //' /proc/1/stat | cut -d' ' -f20)
sqlite3 "$tmp/r.db" "
INSERT INTO boot(id, boot_id, hostname, btime) VALUES
    (2, '$(cat /proc/sys/kernel/random/boot_id)', 'here', 0);
INSERT INTO process(id, boot, tgid, start_ticks, start, ppid, uid, euid,
    gid, egid, comm, execs, flags) VALUES
    (101, 2, 2147483000, 5, 1714521601000000000, 0, 0, 0, 0, 0, 'gone', 0, 0),
    (102, 2, 1, $ticks + 1, 1714521601000000000, 0, 0, 0, 0, 0, 'reused', 0, 0),
    (103, 2, 1, $ticks, 1714521601000000000, 0, 0, 0, 0, 0, 'init', 0, 0);"
proctrail --db "$tmp/r.db" --csv verify | grep -E '^(running processes|open processes),'
rm -rf "$tmp"

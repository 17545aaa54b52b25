# Who, where and which binary (schema version 5 rows, who.sql): shown,
# searched, reported, exported, and in the views as sqlite3 reads them
W="$DATA/who.db"
proctrail --db "$W" show id:23 | grep -E "^(exe|cgroup|unit|login|tty|namespaces|file) "
proctrail --db "$W" show id:24 | grep -E "^(exe|cgroup|unit|container|login|tty|namespaces|file) "
proctrail --db "$W" --json show id:23 | tr ',' '\n' | grep -E '"(login_|tty|ns_pid|pid_ns|mnt_ns|user_ns|exe_)'
proctrail --db "$W" search --since @0 --login-user 4242
proctrail --db "$W" search --since @0 --session 7 --failed
proctrail --db "$W" search --since @0 --tty /dev/pts/1
proctrail --db "$W" search --since @0 --tty 'pts/*' --comm tool
proctrail --db "$W" search --since @0 --pid-ns 'pid:[4026532200]'
proctrail --db "$W" search --since @0 --exe-changed
proctrail --db "$W" search --since @0 --container docker:abab
proctrail --db "$W" report --since @0 | sed -n '/^logins/,$p'
proctrail --db "$W" --json report --since @0 logins
proctrail --db "$W" export --since @0 --kind execs | grep '"id":2[34],' | tr ',' '\n' | grep -E '"(exe|cgroup|unit|container|login_|tty|ns_pid|pid_ns|exe_)'
sqlite3 -readonly -header "$W" "SELECT id, pid, exe, cgroup, unit, container, login_uid, login_session, tty, ns_pid, pid_ns, file, exe_sha256 FROM processes WHERE id >= 20 ORDER BY id"
sqlite3 -readonly -header "$W" "SELECT id, exe, exe_ino, exe_mtime, file FROM execs WHERE id IN (22, 23)"
# a file of schema version 4 has none of it: nothing found, no error
proctrail --db "$DATA/v3.db" search --since @0 --exe-changed; echo "rc=$?"
proctrail --db "$W" search --pid-ns nope; echo "rc=$?"
proctrail --db "$W" search --session 0; echo "rc=$?"
proctrail --db "$W" search --login-user nosuchuser_xyz; echo "rc=$?"

# Unit, container and pod read from the cgroup path: shown, exported,
# searched (--unit exact unless a glob, --container a substring unless a
# glob); a look-alike name is no container
cp "$DATA/fixture.db" "$tmp/w.db"
ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
sqlite3 "$tmp/w.db" "
  UPDATE exec SET cgroup = '/system.slice/docker-$ID.scope' WHERE id = 5;
  UPDATE exec SET cgroup = '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1f0e2d3c_4b5a.slice/cri-containerd-$ID.scope' WHERE id = 9;
  UPDATE exec SET cgroup = '/user.slice/user-4242.slice/session-3.scope' WHERE id = 3;
  UPDATE exec SET cgroup = '/system.slice/docker-1234.scope' WHERE id = 10"
proctrail --db "$tmp/w.db" show id:5 | grep -E "^(cgroup|unit|container|pod) "
proctrail --db "$tmp/w.db" --json show id:9 | grep -o '"unit": [^,]*, "container": [^,]*, "pod": [^,]*'
proctrail --db "$tmp/w.db" search --since @0 --unit ssh.service
proctrail --db "$tmp/w.db" search --since @0 --unit 'session-*'
proctrail --db "$tmp/w.db" search --since @0 --unit ssh
proctrail --db "$tmp/w.db" search --since @0 --container containerd:
proctrail --db "$tmp/w.db" search --since @0 --container 'docker:0123*'
proctrail --db "$tmp/w.db" search --since @0 --container docker:1234
proctrail --db "$tmp/w.db" export --since @0 --kind processes | grep -E '"id":(5|9|11),' | grep -o '"unit":[^,]*,"container":[^,]*,"pod":[^,]*'
# -o: unit and container columns in tables; a bad name is a usage error
proctrail --db "$tmp/w.db" tree id:3 -o unit,container --depth 1
proctrail --db "$tmp/w.db" -o pod search --since @0 --pid 300
proctrail --db "$tmp/w.db" --csv search --since @0 --pid 1002 | cut -d, -f19-
proctrail --db "$tmp/w.db" ancestors id:5 -o nope; echo "rc=$?"

# The filters people reach for: a PID, an exit code, a signal by name or
# number, a longest duration, a cgroup (substring or glob); --comm is exact
# unless it is a glob
proctrail search --pid 300
proctrail search --exit-code 3
proctrail search --signal KILL
proctrail search --signal SIGSEGV
proctrail search --signal 11 --max-duration 1s
proctrail search --comm 'b*'
proctrail search --cgroup ssh.service --limit 3
proctrail search --cgroup "/system.slice/*" --limit 2
proctrail search --signal BOGUS; echo "rc=$?"
proctrail search --exit-code 256; echo "rc=$?"

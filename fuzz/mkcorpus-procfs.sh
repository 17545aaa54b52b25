#!/bin/bash
# Seed corpus for fuzz_procfs: real /proc/PID/stat and status texts, of an
# ordinary process, init, a kernel thread, a process whose comm holds
# spaces and parentheses, and a zombie.
set -eu
D=${1:-$(dirname "$0")/corpus/procfs}
mkdir -p "$D"
grab() {	# grab NAME PID
	cat "/proc/$2/stat" >"$D/$1-stat"
	cat "/proc/$2/status" >"$D/$1-status"
}
grab self $$
grab init 1
grab kthread 2
# comm with ") (" in it: the parser must take the last ')'
T=$(mktemp -d)
ln -s "$(command -v sleep)" "$T/a) b (c) S 1"
"$T/a) b (c) S 1" 2 & P=$!
sleep 0.1
grab parens "$P"
kill "$P"; wait "$P" 2>/dev/null || true
rm -rf "$T"
# a zombie: child exits, parent does not reap for a moment
bash -c 'sleep 0.1 & exec sleep 1' & Z=$!
sleep 0.4
ZC=$(tr -d " " <"/proc/$Z/task/$Z/children")
grab zombie "$ZC"
wait "$Z" 2>/dev/null || true

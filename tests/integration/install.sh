#!/bin/bash
# cmake --install puts both binaries, both man pages, the systemd unit and
# the shell completions in place, under the prefix given; they work.
set -u
BUILD=$1
. "$(dirname "$0")/lib.sh"

cmake --install "$BUILD" --prefix "$TMP/root" >"$TMP/install.log" 2>&1
check "cmake --install" "$?" 0
for f in sbin/proctraild bin/proctrail share/man/man8/proctraild.8 \
	share/man/man1/proctrail.1 lib/systemd/system/proctraild.service \
	share/doc/proctrail/schema.md share/doc/proctrail/query.md \
	share/doc/proctrail/fleet.md share/doc/proctrail/README.md \
	share/bash-completion/completions/proctrail \
	share/zsh/site-functions/_proctrail; do
	check_true "installed $f" test -s "$TMP/root/$f"
done
check_true "installed proctraild runs" "$TMP/root/sbin/proctraild" --version
check_true "installed proctrail runs" "$TMP/root/bin/proctrail" --version
check "nothing installed outside the prefix" \
	"$(grep -E '^-- (Installing|Up-to-date):' "$TMP/install.log" | grep -c -v "$TMP/root/")" 0
# the installed bash completion, loaded as bash-completion would
check "bash completion of 'proctrail search --ar'" "$(bash -c '
	. "$1"; COMP_WORDS=(proctrail search --ar); COMP_CWORD=2
	_proctrail; echo "${COMPREPLY[*]}"' _ \
	"$TMP/root/share/bash-completion/completions/proctrail")" "--argv"
if command -v zsh >/dev/null; then
	check_true "zsh completion parses" zsh -n \
		"$TMP/root/share/zsh/site-functions/_proctrail"
fi
check_true "unit is Type=notify" grep -q '^Type=notify' "$TMP/root/lib/systemd/system/proctraild.service"
# the installed unit, as systemd would load it
# (its ExecStart names the configured prefix: pointed at the copy here;
# the man pages are not in man's path)
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$TMP/unit"
	sed "s|^ExecStart=[^ ]*proctraild|ExecStart=$TMP/root/sbin/proctraild|" \
		"$TMP/root/lib/systemd/system/proctraild.service" \
		>"$TMP/unit/proctraild.service"
	systemd-analyze verify --man=no "$TMP/unit/proctraild.service" \
		>"$TMP/verify.log" 2>&1
	check "systemd-analyze verify of the installed unit" "$?" 0
	grep -v "^$" "$TMP/verify.log" | head -5
else
	echo "note: systemd-analyze not installed; installed unit not verified"
fi

finish

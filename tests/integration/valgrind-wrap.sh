#!/bin/bash
# Runs $PTD_REAL (proctraild) under valgrind memcheck, for the integration
# tests: any memory error or definite leak makes it exit 99, which the
# tests' exit-status checks report.  Logs go to $VG_LOGDIR (default /tmp).
# valgrind.supp: what memcheck reports inside libbpf (third-party).
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
	--suppressions="$(dirname "$0")/valgrind.supp" \
	--errors-for-leak-kinds=definite \
	--log-file="${VG_LOGDIR:-/tmp}/vg-proctraild.%p.log" "$PTD_REAL" "$@"

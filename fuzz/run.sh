#!/bin/bash
# Build the libFuzzer harnesses with clang and run each for a bounded time.
#
#   fuzz/run.sh BUILD_DIR [SECONDS]
#
# BUILD_DIR receives the binaries and a scratch copy of each corpus (new
# inputs found while fuzzing stay there; copy the interesting ones into
# fuzz/corpus/NAME/ by hand, or run with MERGE=1 to minimise them into it).
# Before fuzzing, every file of fuzz/corpus/NAME and fuzz/regress/NAME is
# replayed: a regression fails the run at once.  Crashes are written to
# BUILD_DIR/crash-NAME-*.  Prints the executions each harness ran.
# Exit status: 0 no finding, 1 a harness crashed, 2 usage or build error.
#
# Needs clang (14+) with libFuzzer (Debian: clang, libclang-rt-14-dev),
# pkg-config and libmnl-dev.  CC overrides the compiler.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-}
SECS=${2:-60}
[ -n "$OUT" ] || { echo "usage: $0 BUILD_DIR [SECONDS]" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "run.sh: no $CC" >&2; exit 2; }

# UBSan checks recover (then halt_on_error stops at the first report not
# suppressed): suppressions only apply to recoverable checks.
FLAGS="-g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE=
	-fsanitize=fuzzer,address,undefined -fsanitize-recover=undefined
	-I$SRC/collector -I$SRC/common -I$SRC/query"
MNL=$(pkg-config --cflags --libs libmnl) || exit 2
SQLITE=$(pkg-config --cflags --libs sqlite3) || exit 2

build() {	# build NAME SOURCES...
	local name=$1
	shift
	# shellcheck disable=SC2086
	"$CC" $FLAGS -o "$OUT/fuzz_$name" "$@" $MNL $SQLITE || exit 2
}
build event "$SRC/fuzz/fuzz_event.c" "$SRC/collector/event.c" "$SRC/common/model.c"
build procfs "$SRC/fuzz/fuzz_procfs.c" "$SRC/collector/procfs.c" \
	"$SRC/collector/taskbpf.c"
build query "$SRC/fuzz/fuzz_query.c" "$SRC/common/timeparse.c" \
	"$SRC/query/ident.c" "$SRC/common/cgroup.c"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for name in event procfs query; do
	bin=$OUT/fuzz_$name
	# 1. replay the committed corpus and regression inputs
	replay=()
	for d in "$SRC/fuzz/corpus/$name" "$SRC/fuzz/regress/$name"; do
		[ -d "$d" ] && [ -n "$(ls -A "$d")" ] && replay+=("$d"/*)
	done
	if [ ${#replay[@]} -gt 0 ] &&
	    ! "$bin" -runs=0 "${replay[@]}" >"$OUT/replay-$name.log" 2>&1; then
		echo "fuzz_$name: a committed input fails:" >&2
		tail -40 "$OUT/replay-$name.log" >&2
		status=1
		continue
	fi
	# 2. fuzz for SECS seconds from a scratch copy of the corpus
	work=$OUT/corpus-$name
	mkdir -p "$work"
	cp -n "$SRC/fuzz/corpus/$name"/* "$work"/ 2>/dev/null
	"$bin" -max_total_time="$SECS" -max_len=4096 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$OUT/crash-$name-" \
	    "$work" >"$OUT/fuzz-$name.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$OUT/fuzz-$name.log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$OUT/fuzz-$name.log" | tail -1)
	echo "fuzz_$name: ${execs:-?} executions in ${SECS}s, ${cov:-cov: ?}," \
	    "corpus $(ls "$work" | wc -l), exit $rc"
	if [ "$rc" -ne 0 ]; then
		echo "fuzz_$name: FINDING, see $OUT/fuzz-$name.log:" >&2
		grep -m1 -A12 -E 'ERROR|runtime error|Assertion|deadly' \
		    "$OUT/fuzz-$name.log" >&2
		ls "$OUT"/crash-"$name"-* 2>/dev/null >&2
		status=1
	fi
	if [ "${MERGE:-0}" = 1 ]; then
		"$bin" -merge=1 "$SRC/fuzz/corpus/$name" "$work" \
		    >"$OUT/merge-$name.log" 2>&1
	fi
done
exit $status

#!/bin/bash
# Every test suite, in order, with one summary line at the end. Suites that
# need what this machine lacks (root, namespaces, ../shared) skip, saying so.
cd "$(dirname "$0")/.."
LOG=build/test-logs
mkdir -p $LOG
passed=0
failed=0
skipped=0
suites_failed=""

suite() { # suite NAME COMMAND...
	local name=$1
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$LOG/$name.log"
	local rc=${PIPESTATUS[0]}
	# cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s), listed below:"
	local p f s
	p=$(grep -ahoE '^\[  PASSED  \] [0-9]+' "$LOG/$name.log" | awk '{s+=$NF} END {print s+0}')
	f=$(grep -ahoE '^\[  FAILED  \] [0-9]+ test' "$LOG/$name.log" | awk '{s+=$(NF-1)} END {print s+0}')
	s=$(grep -ahoE '^\[  SKIPPED \] [0-9]+' "$LOG/$name.log" | awk '{s+=$NF} END {print s+0}')
	# script suites: "NAME: N passed, N failed[, N skipped]"
	local line
	line=$(grep -aE '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$LOG/$name.log" | tail -1)
	if [ -n "$line" ]; then
		p=$((p + $(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')))
		f=$((f + $(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')))
		echo "$line" | grep -q skipped && s=$((s + $(echo "$line" | sed -E 's/.* ([0-9]+) skipped.*/\1/')))
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1 # a crash or a build error is a failure too
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$f" != 0 ] && suites_failed="$suites_failed $name"
}

suite unit make --no-print-directory unit
suite unit-asan make --no-print-directory unit-asan
suite xdp-prog make --no-print-directory bpf-test
suite fuzz make --no-print-directory fuzz FUZZ_RUNS=200000
suite conformance /usr/bin/python3 tests/conformance/inspect_vs_tshark.py build/gtpclass
for t in tests/cli/test_*.sh tests/net/test_*.sh tests/model/test_*.sh; do
	[ -e "$t" ] && suite "$(basename "$t" .sh)" "$t" build/gtpclass
done

echo
[ -n "$suites_failed" ] && echo "failed suites:$suites_failed"
echo "all: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]

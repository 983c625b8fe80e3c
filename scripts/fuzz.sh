#!/bin/bash
# make fuzz [FUZZ_PARALLEL=1]: runs each libFuzzer target (tests/fuzz/) from seeds made here:
# frames of generated GTP-U traffic (both IP versions, no PSC) for the
# parser and the differential XDP target, the bundled forests for the forest loader, the shipped config, a
# manifest and a capture for the file loaders. FUZZ_SECONDS each
# (default 60), or FUZZ_RUNS inputs each with a fixed seed (the smoke run of
# make test). A crash leaves its input in build-fuzz/ and fails.
set -u
B=$1
BIN=$2
cd "$(dirname "$0")/.."
corpus=$B/corpus
mkdir -p "$corpus/parser" "$corpus/model" "$corpus/files"
if [ -z "$(ls -A "$corpus/parser")" ]; then
	for opts in "" "--outer6 --inner6" "--no-psc"; do
		"$BIN" gen -p conf/profiles.yaml -u 4 -d 0.2 -s 7 -n 40 $opts -o "$B/seed.pcap" 2>/dev/null
		/usr/bin/python3 - "$B/seed.pcap" "$corpus/parser" "${opts// /}" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, i = 24, 0
while off < len(data):
    n = struct.unpack_from("<I", data, off + 8)[0]
    open(f"{sys.argv[2]}/{sys.argv[3] or 'v4'}-{i}", "wb").write(data[off + 16:off + 16 + n])
    off += 16 + n
    i += 1
PY
	done
	cp model/*.csv "$corpus/model/"
fi
# The file loaders' target reads its first byte as the kind: 0 config,
# 1 model manifest, 2 capture.
if [ -z "$(ls -A "$corpus/files")" ]; then
	{ printf '\0'; cat conf/gtpclass.yaml; } > "$corpus/files/config"
	{ printf '\1'; cat model/default.yaml; } > "$corpus/files/manifest"
	"$BIN" gen -p conf/profiles.yaml -u 2 -d 0.1 -s 3 -n 8 -o "$B/seed8.pcap" 2>/dev/null
	{ printf '\2'; cat "$B/seed8.pcap"; } > "$corpus/files/capture"
	{ printf '\3'; cat conf/profiles.yaml; } > "$corpus/files/profiles"
fi
# fuzz_one TARGET: runs it and prints one line, ok or FAIL.
fuzz_one() {
	local t=$1 seeds=$corpus/$1 runs limit cov
	[ $t = xdp ] && seeds=$corpus/parser
	if [ -n "${FUZZ_RUNS:-}" ]; then
		# The file loaders go through libcyaml and a file per input:
		# about a hundred inputs a second, against thousands.
		runs=$FUZZ_RUNS
		[ $t = files ] && runs=$((FUZZ_RUNS / 100))
		# Two BPF_PROG_RUNs and counter reads per key mode and input.
		[ $t = xdp ] && runs=$((FUZZ_RUNS / 10))
		limit="-runs=$runs -seed=1"
	else
		limit="-max_total_time=${FUZZ_SECONDS:-60}"
	fi
	mkdir -p "$B/work-$t"
	# A copy: libFuzzer adds what it finds to the first folder.
	cp -n "$seeds"/* "$B/work-$t/" 2>/dev/null
	if (cd "$B" && ./fuzz_$t $limit -max_len=4096 -print_final_stats=1 "work-$t" > "fuzz_$t.log" 2>&1); then
		# Coverage: the edges of the instrumented (user-space) code
		# reached, from libFuzzer's last status line.
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz_$t.log" | grep -o '[0-9]*$')
		cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$B/fuzz_$t.log" | tail -1)
		echo "ok   fuzz_$t: $runs inputs, $cov, no crash"
	else
		echo "FAIL fuzz_$t: see $B/fuzz_$t.log and the crash-* input beside it"
	fi
}
targets="parser model files xdp"
if [ "$(id -u)" != 0 ]; then
	echo "skip fuzz_xdp: BPF_PROG_RUN needs root"
	targets="parser model files"
fi
# FUZZ_PARALLEL=1: every target at once (FUZZ_SECONDS is wall time each;
# the CPUs are shared, so fewer inputs each).
for t in $targets; do
	if [ -n "${FUZZ_PARALLEL:-}" ]; then
		fuzz_one $t > "$B/result-$t" &
	else
		fuzz_one $t > "$B/result-$t"
	fi
done
wait
cat $(for t in $targets; do echo "$B/result-$t"; done) | tee "$B/results"
pass=$(grep -c '^ok' "$B/results")
fail=$(grep -c '^FAIL' "$B/results")
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]

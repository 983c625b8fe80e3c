#!/bin/bash
# Faults of the host: the interface deleted under a running gtpclass ends
# the run loudly (exit 4, the totals printed, its pins removed) instead of
# a run that looks healthy while seeing nothing; once the interface is
# back, a new run classifies again (what the unit's Restart= does).
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpf
NET=198.18.14
PIN=/sys/fs/bpf/gtpclass-faults
. tests/lib.sh
net_suite faults $P 2 $NET $PIN
test_conf $P-n3 $PIN > "$WORK/conf.yaml"
send() {
	ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 4 -m urllc:2,flood:2 -d "$1" -s 3 -i $P-gnb \
		--uplink-only --upf $NET.100 --gnb $NET.1 2> /dev/null
}

"$BIN" run -c "$WORK/conf.yaml" -d 20 > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || bad "gtpclass run started"
send 1
ip link del $P-n3
for _ in $(seq 50); do kill -0 $RUN_PID 2>/dev/null || break; sleep 0.1; done
wait $RUN_PID
rc=$?
RUN_PID=
check "the interface deleted: the run stops with exit 4 (exit $rc), saying why" \
	"[ $rc = 4 ] && grep -q '$P-n3 disappeared' '$WORK/run.log'"
check "with the totals of what it saw ($(awk '$1 == "worker_rx" && $2 ~ /^[0-9]+$/ {print $2}' "$WORK/run.log") frames) and its pins removed" \
	"grep -q '^totals:' '$WORK/run.log' && [ \$(awk '\$1 == \"worker_rx\" && \$2 ~ /^[0-9]+\$/ {print \$2}' '$WORK/run.log') -gt 0 ] && [ ! -e $PIN/$P-n3 ]"
scripts/topo.sh up 2 $P $NET
"$BIN" run -c "$WORK/conf.yaml" -d 4 -s "$WORK/sum" > "$WORK/run2.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run2.log" || bad "gtpclass started again"
send 2
wait $RUN_PID
rc=$?
RUN_PID=
check "the interface back, a new run classifies again (exit $rc, $(sed -n 's/^windows=//p' "$WORK/sum") windows)" \
	"[ $rc = 0 ] && [ \$(sed -n 's/^windows=//p' '$WORK/sum') -gt 0 ]"
finish faults

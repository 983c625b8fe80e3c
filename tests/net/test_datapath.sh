#!/bin/bash
# Integration on a veth pair with two queues: known GTP-U traffic, every
# packet counted once; a flood class gets drop verdicts enforced in XDP until
# the TTL ends; ARP and ICMP reach the stack; after kill -9, traffic passes.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpt
NET=198.18.1
. tests/lib.sh
val() { grep "^$1=" "$WORK/summary" | cut -d= -f2; }
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	scripts/topo.sh down $P
	rm -rf /sys/fs/bpf/gtpclass-test "$WORK"
}
trap cleanup EXIT

need_netns net
scripts/topo.sh up 2 $P $NET

test_conf $P-n3 /sys/fs/bpf/gtpclass-test -e "s/ttl_ms: .*/ttl_ms: 1500/" > "$WORK/conf.yaml"

send() { # send SECONDS MIX: one pinned sender per queue; prints frames sent
	local total=0 k pids=""
	for k in 0 1; do
		ip netns exec $P-ran taskset -c $k "$BIN" gen -p conf/profiles.yaml -u 8 -m "$2" -d "$1" -s 3 \
			-i $P-gnb --uplink-only --shard $k/2 --upf $NET.100 --gnb $NET.1 2>"$WORK/gen$k.log" &
		pids="$pids $!"
	done
	wait $pids
	for k in 0 1; do
		total=$((total + $(sed -n 's/^gen: sent \([0-9]*\) frames.*/\1/p' "$WORK/gen$k.log")))
	done
	echo $total
}

# 1. Classification, accounting and verdicts.
"$BIN" run -c "$WORK/conf.yaml" -s "$WORK/summary" -d 9 > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || { cat "$WORK/run.log"; bad "gtpclass run started"; }
ip netns exec $P-ran ping -c 3 -i 0.2 -W 1 $NET.100 > "$WORK/ping.log" 2>&1
ping_rc=$?
sent=$(send 5 urllc:3,embb:3,flood:2)
wait $RUN_PID
RUN_PID=
check "ARP and ICMP reach the stack while running" "[ $ping_rc = 0 ]"
check "all $sent generated G-PDUs sent" "[ $sent -gt 10000 ]"
gpdus=$(( $(val redirected) + $(val dropped_verdict) + $(val passed_no_socket) ))
check "every G-PDU counted once: $gpdus of $sent" "[ $gpdus = $sent ]"
fates=0
for k in $(grep -E '^(redirected|passed_|dropped_verdict|malformed_)' "$WORK/summary" | cut -d= -f1); do
	fates=$((fates + $(val "$k")))
done
check "outcomes add up to packets seen ($fates = $(val seen))" "[ $fates = $(val seen) ]"
check "non-GTP packets passed (ARP, ICMP): $(val passed_not_gtpu)" "[ $(val passed_not_gtpu) -ge 6 ]"
check "redirected = worker rx + socket drops" "[ $(val balanced) = 1 ]"
check "no packet without an XDP timestamp" "[ $(val worker_no_stamp) = 0 ]"
# Each UMEM asks for transparent huge pages (frames a page apart are a TLB
# miss each on 4 KiB pages); the kernel grants them unless THP is off.
if grep -q '\[never\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
	echo "SKIP the UMEMs on huge pages: transparent huge pages are off here"
	skip=$((skip + 1))
else
	huge=$(grep -c 'AF_XDP socket on .*, \([1-9][0-9]*\) of \1 MiB on huge pages' "$WORK/run.log")
	check "both UMEMs on huge pages ($huge of 2 sockets)" "[ $huge = 2 ]"
fi
check "flood UEs got drop verdicts ($(val verdicts_set)) and lost them after the TTL ($(val verdicts_cleared))" \
	"[ $(val verdicts_set) -ge 4 ] && [ $(val verdicts_cleared) -ge 2 ]"
check "dropped in XDP: $(val dropped_verdict) packets" "[ $(val dropped_verdict) -gt $(( sent / 4 )) ]"
check "workers stopped seeing dropped UEs (in flight: $(val worker_after_drop))" \
	"[ $(val worker_after_drop) -lt $(( $(val dropped_verdict) / 20 )) ]"
check "benign UEs were never dropped" "[ $(val windows_urllc) -gt 0 ] && [ $(val windows_embb) -gt 0 ]"

# 2. Fail open: while running, G-PDUs go to AF_XDP; after kill -9 the stack gets them.
"$BIN" run -c "$WORK/conf.yaml" > "$WORK/run2.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run2.log" || bad "second run started"
tests/net/udp_count.py $NET.100 2152 3 > "$WORK/udp_before" &
UDP_PID=$!
sleep 0.5
send 1 urllc:4,voice:4 > /dev/null
wait $UDP_PID
check "while running, G-PDUs do not reach the stack ($(cat "$WORK/udp_before"))" "[ $(cat "$WORK/udp_before") = 0 ]"
kill -9 $RUN_PID
wait $RUN_PID 2>/dev/null
RUN_PID=
sleep 0.5
check "after kill -9 no XDP program is attached" "! ip link show $P-n3 | grep -q xdp"
tests/net/udp_count.py $NET.100 2152 3 > "$WORK/udp_after" &
UDP_PID=$!
sleep 0.5
n=$(send 1 urllc:4,voice:4)
wait $UDP_PID
check "after kill -9 the stack receives all $n G-PDUs ($(cat "$WORK/udp_after"))" "[ $(cat "$WORK/udp_after") = $n ]"
ip netns exec $P-ran ping -c 2 -i 0.2 -W 1 $NET.100 > /dev/null 2>&1
check "ICMP still flows after kill -9" "[ $? = 0 ]"

finish net

#!/bin/bash
# Multi-core: each UE is accounted by one owner worker whatever queue its
# packets arrive on. A capture is split packet by packet over two senders,
# one per CPU (so over both RX queues): every UE's packets alternate
# between the workers. With classifier.distribute the live windows are
# exactly those `gtpclass features` computes from what was received (the
# per-queue recordings merged in time order); without it the same traffic
# is classified from halves. With every UE on queue 0, both workers still
# classify windows.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpd
NET=198.18.6
PIN=/sys/fs/bpf/gtpclass-dist
. tests/lib.sh
net_suite distribute $P 2 $NET $PIN
test_conf $P-n3 $PIN -e "s/action: drop/action: pass/" > "$WORK/on.yaml"
sed "s/distribute: true/distribute: false/" "$WORK/on.yaml" > "$WORK/off.yaml"

"$BIN" gen -p conf/profiles.yaml -u 12 -m urllc:3,embb:3,voice:3,mmtc:1,flood:2 -d 4 -s 5 --uplink-only \
	--upf $NET.100 --gnb $NET.1 -o "$WORK/gen.pcap" 2>/dev/null
# Packets 0, 2, 4... in one capture, 1, 3, 5... in the other, each keeping
# its original time.
/usr/bin/python3 - "$WORK/gen.pcap" "$WORK/half" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
outs = [open(f"{sys.argv[2]}{k}.pcap", "wb") for k in (0, 1)]
for o in outs:
    o.write(data[:24])
off, i = 24, 0
while off < len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    outs[i % 2].write(data[off:off + 16 + caplen])
    off += 16 + caplen
    i += 1
PY

# run CONF NAME SENDERS...: one live run; each sender is "CPU CAPTURE".
run() {
	local conf=$1 name=$2 cpu cap pids=
	shift 2
	"$BIN" run -c "$conf" -d 8 -w "$WORK/$name.csv" --pcap-out "$WORK/$name.pcap" -s "$WORK/$name.sum" \
		> "$WORK/$name.log" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/$name.log" || bad "$name: gtpclass run started"
	while [ $# -gt 0 ]; do
		cpu=$1 cap=$2
		shift 2
		ip netns exec $P-ran taskset -c "$cpu" "$BIN" gen --replay "$cap" -i $P-gnb 2>> "$WORK/$name.gen" &
		pids="$pids $!"
	done
	wait $pids
	wait $RUN_PID
	echo $? > "$WORK/$name.rc"
	RUN_PID=
	mergecap -F nsecpcap -w "$WORK/$name.rec.pcap" "$WORK/$name.pcap.q0" "$WORK/$name.pcap.q1"
	"$BIN" features "$WORK/$name.rec.pcap" -c "$conf" -o "$WORK/$name.off.csv" 2>/dev/null
}
val() { sed -n "s/^$2=//p" "$WORK/$1.sum"; }
# compare NAME: "live windows, live windows not offline, offline windows, UEs"
compare() {
	/usr/bin/python3 - "$WORK/$1.csv" "$WORK/$1.off.csv" <<'PY'
import sys
live = open(sys.argv[1]).read().splitlines()[1:]
off = open(sys.argv[2]).read().splitlines()[1:]
offset = set(off)
print(len(live), sum(r not in offset for r in live), len(off), len({r.split(",")[0] for r in off}))
PY
}

run "$WORK/on.yaml" on 0 "$WORK/half0.pcap" 1 "$WORK/half1.pcap"
sent=$("$BIN" inspect "$WORK/gen.pcap" 2>/dev/null | wc -l)
got=$("$BIN" inspect "$WORK/on.rec.pcap" 2>/dev/null | wc -l)
q0=$(val on q0.worker_gpdu) q1=$(val on q1.worker_gpdu)
check "distribute: both queues received the UEs' packets (q0 $q0, q1 $q1 of $sent)" \
	"[ $got = $sent ] && [ $((q0 + q1)) = $sent ] && [ $q0 -gt $((sent / 4)) ] && [ $q1 -gt $((sent / 4)) ]"
check "distribute: records crossed to their owners ($(val on worker_handed_off) handed off)" \
	"[ $(val on worker_handed_off) -gt $((sent / 4)) ] && [ $(val on worker_handoff_in) = $(val on worker_handed_off) ]"
check "distribute: every G-PDU accounted once ($(val on worker_accounted) of $sent), none late, none lost" \
	"[ $(val on worker_accounted) = $sent ] && [ $(val on worker_handoff_late) = 0 ] && [ $(val on worker_not_accounted) = 0 ]"
read -r n_live n_missing n_off n_ues < <(compare on)
check "distribute: every live window ($n_live) is an offline window, values and start times identical ($n_missing differ)" \
	"[ $n_live -gt 50 ] && [ $n_missing = 0 ]"
check "distribute: offline has only the windows open at shutdown beyond them ($((n_off - n_live)), UEs $n_ues)" \
	"[ $((n_off - n_live)) -ge 0 ] && [ $((n_off - n_live)) -le $n_ues ]"
check "distribute: the run balances (exit $(cat "$WORK/on.rc"))" "[ $(cat "$WORK/on.rc") = 0 ]"

run "$WORK/off.yaml" off 0 "$WORK/half0.pcap" 1 "$WORK/half1.pcap"
read -r n_live n_missing n_off n_ues < <(compare off)
check "no distribute: the same traffic is classified from halves ($n_missing of $n_live live windows are not offline ones, $n_off offline)" \
	"[ $n_missing -gt $((n_live / 2)) ] && [ $n_live -gt $n_off ]"
check "no distribute: nothing is handed off ($(val off worker_handed_off))" "[ $(val off worker_handed_off) = 0 ]"

run "$WORK/on.yaml" skew 0 "$WORK/gen.pcap"
w0=$(val skew q0.windows) w1=$(val skew q1.windows)
check "all UEs on queue 0: queue 1 received nothing ($(val skew q1.worker_rx))" "[ $(val skew q1.worker_rx) = 0 ]"
# How many each gets follows which UEs it owns (the key hash is seeded at
# random each run); that each gets some is the point, a share is not.
check "all UEs on queue 0: both workers classified windows (q0 $w0, q1 $w1)" \
	"[ $w0 -gt 0 ] && [ $w1 -gt 0 ] && [ $((w0 + w1)) -gt 50 ]"
check "all UEs on queue 0: the run balances (exit $(cat "$WORK/skew.rc"))" "[ $(cat "$WORK/skew.rc") = 0 ]"
finish distribute

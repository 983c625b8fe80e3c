#!/bin/bash
# Jumbo frames: at MTU 9000 every G-PDU is classified or passed, none lost.
# A UMEM frame of 4096 bytes holds 3840 bytes of packet; longer G-PDUs would
# be redirected and dropped by the socket, so XDP passes them to the stack
# (passed_too_big) as if gtpclass were not there. A UDP socket on 2152
# counts what the stack got. veth refuses native XDP above about a page of
# MTU (ERANGE); gtpclass falls back to generic XDP and says so.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpj
NET=198.18.15
PIN=/sys/fs/bpf/gtpclass-jumbo
PY=/usr/bin/python3
. tests/lib.sh
net_suite jumbo $P 2 $NET $PIN
ip link set $P-n3 mtu 9000
ip -n $P-ran link set $P-gnb mtu 9000
test_conf $P-n3 $PIN > "$WORK/conf.yaml"
val() { sed -n "s/^$1=//p" "$2"; }
send() { # 360 G-PDUs of 30 UEs, 12 lengths from 128 to 8950 bytes
	ip netns exec $P-ran $PY - $P-gnb $NET <<'PYEOF'
import sys
from scapy.all import Ether, IP, UDP, Raw, sendp
ifname, net = sys.argv[1], sys.argv[2]
sizes = [128, 1400, 2000, 3000, 3700, 3800, 3840, 3900, 4500, 6000, 8000, 8950]
pkts = []
for i in range(360):
    total = sizes[i % len(sizes)]
    pad = total - 14 - 20 - 8 - 8 - 20 - 8
    inner = IP(src="10.45.7.%d" % (i % 30 + 1), dst="198.51.100.9") / UDP(sport=5000, dport=5000) / Raw(b"j" * pad)
    gtp = bytes([0x30, 0xFF]) + len(inner).to_bytes(2, "big") + (100 + i % 30).to_bytes(4, "big")
    pkts.append(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") /
                IP(src=net + ".1", dst=net + ".100") / UDP(sport=2152, dport=2152) / Raw(gtp + bytes(inner)))
sendp(pkts, iface=ifname, verbose=False, inter=0.002)
print(len(pkts), sum(1 for p in pkts if len(p) > 3840))
PYEOF
}
for mode in afxdp kernel; do
	"$BIN" run -c "$WORK/conf.yaml" -m $mode -d 5 -s "$WORK/sum.$mode" > "$WORK/run.$mode" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/run.$mode" || bad "$mode: gtpclass run started"
	$PY tests/net/udp_count.py $NET.100 2152 3.5 > "$WORK/count.$mode" &
	COUNT_PID=$!
	sleep 0.3
	read -r sent big < <(send)
	wait $COUNT_PID
	wait $RUN_PID
	rc=$?
	RUN_PID=
	s="$WORK/sum.$mode"
	stack=$(cat "$WORK/count.$mode")
	att=$(grep -o 'attached to [^ ]* in [a-z]* mode' "$WORK/run.$mode")
	if [ $mode = afxdp ]; then
		check "afxdp ($att): $sent G-PDUs up to 8950 bytes: $(val redirected "$s") redirected and classified, $(val passed_too_big "$s") too big for a UMEM frame passed to the stack, none lost" \
			"[ $rc = 0 ] && [ \$(( \$(val redirected '$s') + \$(val passed_too_big '$s') )) = $sent ] && [ \$(val passed_too_big '$s') = $big ] && [ \$(val worker_gpdu '$s') = \$(val redirected '$s') ] && [ \$(val socket_dropped '$s') = 0 ]"
		check "afxdp: the stack's socket on 2152 got the $(val passed_too_big "$s") passed ($stack)" \
			"[ '$stack' = \$(val passed_too_big '$s') ]"
	else
		check "kernel ($att): $sent G-PDUs up to 8950 bytes: $(val passed_classified "$s") classified in XDP and passed, the socket on 2152 got $stack" \
			"[ $rc = 0 ] && [ \$(val passed_classified '$s') = $sent ] && [ '$stack' = $sent ]"
	fi
	check "$mode: the run balanced" "[ \"\$(val balanced '$s')\" = 1 ]"
done
finish jumbo

#!/bin/bash
# Inline on N3, in both modes: gNB (namespace) -> N3 with gtpclass -> egress
# veth -> UPF (namespace). With every class passing, every G-PDU arrives at
# the UPF byte for byte from the outer IP header on, in per-UE order; a drop
# class stops within a window of its verdict while the others arrive in full;
# a mark class arrives with DSCP 46 and valid checksums; ARP and ICMP to N3
# still work; outer fragments arrive and reassemble; after kill -9 the UPF
# receives again (the kernel forwards); the books balance, also when the
# egress's TX ring cannot drain.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpi
NET=198.18.6
UPFNET=198.19.6
PIN=/sys/fs/bpf/gtpclass-inline
PY=/usr/bin/python3
. tests/lib.sh
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	scripts/topo.sh down $P
	rm -rf "$PIN" "$WORK"
}
trap cleanup EXIT
need_netns inline
scripts/topo.sh up-upf 2 $P $NET $UPFNET
UPF_MAC=$(ip -n $P-upf -o link show $P-up | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
EG_MAC=$(cat /sys/class/net/$P-eg/address)
val() { sed -n "s/^$1=//p" "$2"; }

# The traffic, made once: uplink of four profiles with the generator's timing.
"$BIN" gen -p conf/profiles.yaml -u 12 -m urllc:3,embb:3,voice:3,flood:3 -d 3 -s 11 --uplink-only \
	--upf $NET.100 --gnb $NET.1 -o "$WORK/sent.pcap" -l "$WORK/labels.csv" 2>/dev/null

# conf MODE EXTRA-SED...: the shipped config forwarding to the UPF.
conf() {
	test_conf $P-n3 $PIN "$@" > "$WORK/conf.yaml"
	printf 'forward:\n  egress: %s\n' $P-eg >> "$WORK/conf.yaml"
}

# capture_start FILE / capture_stop: G-PDUs as the UPF's interface sees them.
capture_start() {
	rm -f "$1"
	ip netns exec $P-upf dumpcap -q -P -B 64 -i $P-up -f "udp port 2152" -w "$1" 2>/dev/null &
	CAP_PID=$!
	for _ in $(seq 50); do [ -s "$1" ] && return; sleep 0.1; done
}
capture_stop() {
	sleep 0.5
	kill $CAP_PID 2>/dev/null
	wait $CAP_PID 2>/dev/null
	CAP_PID=
}

# run_replay MODE TAG: gtpclass runs while the capture is replayed with its timing.
# udp_at_upf: UDP datagrams the UPF's stack has taken in (to a socket or not).
udp_at_upf() {
	ip netns exec $P-upf nstat -az 2>/dev/null | awk '$1 == "UdpInDatagrams" || $1 == "UdpNoPorts" || $1 == "UdpInErrors" {s += $2} END {print s + 0}'
}
run_replay() {
	local mode=$1 tag=$2 before
	"$BIN" run -c "$WORK/conf.yaml" -m $mode -d 6 -s "$WORK/sum.$tag" > "$WORK/run.$tag" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/run.$tag" || bad "$tag: gtpclass run started"
	capture_start "$WORK/recv.$tag.pcap"
	before=$(udp_at_upf)
	ip netns exec $P-ran ping -c 2 -i 0.2 -W 1 $NET.254 > "$WORK/ping.$tag" 2>&1
	echo $? > "$WORK/ping.$tag.rc"
	# One pinned sender: veth picks the queue by the sending CPU, and a UE
	# split over two queues is the next issue's (distribute) to handle.
	ip netns exec $P-ran taskset -c 0 "$BIN" gen --replay "$WORK/sent.pcap" -i $P-gnb 2>/dev/null
	capture_stop
	echo $(( $(udp_at_upf) - before )) > "$WORK/udp.$tag"
	wait $RUN_PID
	echo $? > "$WORK/rc.$tag"
	RUN_PID=
	# A drop needs policy.min_windows windows of its class, then takes
	# effect within one.
	$PY tests/net/delivery.py "$WORK/sent.pcap" "$WORK/recv.$tag.pcap" "$WORK/labels.csv" 500 \
		$(( $(sed -n 's/^  min_windows: *\([0-9]*\).*/\1/p' conf/gtpclass.yaml) + 1 )) > "$WORK/dlv.$tag"
}
# field TAG PROFILE NAME: a number from delivery.py's line for PROFILE.
field() { awk -v p="$2" -v k="$3" '$1 == p { for (i = 2; i < NF; i += 2) if ($i == k) print $(i + 1) }' "$WORK/dlv.$1"; }

count_at_upf() { # count_at_upf SECONDS: datagrams the UPF's socket on 2152 gets; ready when the file exists
	ip netns exec $P-upf $PY tests/net/udp_count.py $NET.100 2152 "$1" > "$WORK/count" &
	COUNT_PID=$!
	sleep 1
}
# 0. A destination not yet resolved: the kernel forwards (and resolves) it,
# and from then on gtpclass does; nothing is lost on the way.
conf
ip neigh flush dev $P-eg
"$BIN" run -c "$WORK/conf.yaml" -d 4 -s "$WORK/sum.resolve" > "$WORK/run.resolve" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.resolve" || bad "resolve: gtpclass run started"
count_at_upf 2.5
n=$(ip netns exec $P-ran taskset -c 0 "$BIN" gen -p conf/profiles.yaml -u 2 -m urllc:2 -d 1 -i $P-gnb --uplink-only \
	--upf $NET.100 --gnb $NET.1 2>&1 | sed -n 's/^gen: sent \([0-9]*\) frames.*/\1/p')
wait $COUNT_PID
wait $RUN_PID
RUN_PID=
check "unresolved next hop: the UPF got all $n G-PDUs ($(cat "$WORK/count")): $(val passed_not_forwarded "$WORK/sum.resolve") by the kernel, $(val worker_forwarded "$WORK/sum.resolve") by gtpclass" \
	"[ \$(cat '$WORK/count') = $n ] && [ $(val passed_not_forwarded "$WORK/sum.resolve") -gt 0 ] && [ $(val worker_forwarded "$WORK/sum.resolve") -gt 0 ]"

for mode in afxdp kernel; do
	# 1. Every class passes: everything arrives, unchanged, in order.
	conf -e "s/action: drop/action: pass/" -e "s/action: mark/action: pass/" -e "/dscp:/d"
	run_replay $mode $mode-pass
	t=$mode-pass
	sent=0 got=0 same=0 ues=0
	for prof in urllc embb voice flood; do
		sent=$((sent + $(field $t $prof sent)))
		got=$((got + $(field $t $prof received)))
		same=$((same + $(field $t $prof in_order)))
		ues=$((ues + $(field $t $prof ues)))
	done
	check "$mode, all pass: every G-PDU reached the UPF's stack ($(cat "$WORK/udp.$t") of $sent)" \
		"[ \$(cat '$WORK/udp.$t') = $sent ] && [ $sent -gt 1000 ]"
	check "$mode, all pass: the $got captured at the UPF are byte-identical from the outer IP on, in order, for $same of $ues UEs" \
		"[ $same = $ues ] && [ $got -ge $((sent * 999 / 1000)) ]"
	check "$mode, all pass: frames left from the egress's MAC to the UPF's" \
		"grep -q '^macs $UPF_MAC $EG_MAC ' '$WORK/dlv.$t' && [ \$(grep -c '^macs' '$WORK/dlv.$t') = 1 ]"
	check "$mode, all pass: ICMP to N3 answered while running" "[ \$(cat '$WORK/ping.$t.rc') = 0 ]"
	check "$mode, all pass: the run balanced and exited 0" "[ \$(cat '$WORK/rc.$t') = 0 ] && [ \"\$(val balanced '$WORK/sum.$t')\" = 1 ]"
	fwd=$(( $(val worker_forwarded "$WORK/sum.$t") + $(val forwarded_classified "$WORK/sum.$t") ))
	check "$mode, all pass: gtpclass counted $fwd forwarded" "[ $fwd = $sent ]"

	# 2. flood drops, voice is marked (outer and inner), the rest passes.
	conf -e "/class: voice/{n;s/action: .*/action: mark/}" -e "/dscp: 46/a\      inner: true"
	run_replay $mode $mode-policy
	t=$mode-policy
	for prof in urllc embb; do
		check "$mode, policy: $prof arrives unchanged and in order ($(field $t $prof received) of $(field $t $prof sent) captured)" \
			"[ $(field $t $prof in_order) = $(field $t $prof ues) ] && [ $(field $t $prof received) -ge $(( $(field $t $prof sent) * 99 / 100 )) ]"
	done
	check "$mode, policy: flood UEs got drop verdicts ($(val verdicts_set "$WORK/sum.$t") set)" \
		"[ $(val verdicts_set "$WORK/sum.$t") -ge 3 ]"
	check "$mode, policy: flood stopped within a window of its verdict, which took policy.min_windows windows ($(field $t flood received) of $(field $t flood sent) arrived, the first ones)" \
		"[ $(field $t flood within_windows) = 3 ] && [ $(field $t flood received) -lt $(( $(field $t flood sent) / 2 )) ]"
	check "$mode, policy: voice arrives changed only in DSCP and checksums ($(field $t voice received) of $(field $t voice sent) captured)" \
		"[ $(field $t voice same_but_mark) = 3 ] && [ $(field $t voice received) -ge $(( $(field $t voice sent) * 99 / 100 )) ]"
	check "$mode, policy: $(field $t voice marked) voice frames arrived with DSCP 46 outside and inside" \
		"[ $(field $t voice marked) -gt $(( $(field $t voice sent) / 3 )) ]"
	bad_sums=$(tshark -r "$WORK/recv.$t.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
		-Y 'ip.checksum.status == "Bad" || udp.checksum.status == "Bad"' 2>/dev/null | wc -l)
	dscp46=$(tshark -r "$WORK/recv.$t.pcap" -Y 'ip.dsfield.dscp == 46' 2>/dev/null | wc -l)
	check "$mode, policy: tshark finds $dscp46 frames with DSCP 46 and $bad_sums bad IP or UDP checksums" \
		"[ $dscp46 -gt 0 ] && [ $bad_sums = 0 ]"
	check "$mode, policy: the run balanced" "[ \"\$(val balanced '$WORK/sum.$t')\" = 1 ]"
done

# 3. Outer fragments reach the UPF and reassemble (both modes forward them in XDP).
frag() { # frag N: sends N G-PDUs of 2000 bytes, each in two outer IPv4 fragments
	ip netns exec $P-ran $PY - "$1" $P-gnb $NET <<'PYEOF'
import sys
from scapy.all import Ether, IP, UDP, Raw, fragment, sendp
n, ifname, net = int(sys.argv[1]), sys.argv[2], sys.argv[3]
inner = IP(src="10.45.9.9", dst="198.51.100.9") / UDP(sport=5000, dport=5000) / Raw(b"x" * 1972)
gtp = bytes([0x30, 0xFF]) + len(inner).to_bytes(2, "big") + (77).to_bytes(4, "big")
pkts = []
for i in range(n):
    outer = IP(src=net + ".1", dst=net + ".100", id=1000 + i) / UDP(sport=2152, dport=2152) / Raw(gtp + bytes(inner))
    pkts += [Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / f for f in fragment(outer, fragsize=1200)]
sendp(pkts, iface=ifname, verbose=False)
print(len(pkts))
PYEOF
}
for mode in afxdp kernel; do
	conf
	"$BIN" run -c "$WORK/conf.yaml" -m $mode -d 5 -s "$WORK/sum.frag.$mode" > "$WORK/run.frag.$mode" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/run.frag.$mode" || bad "fragments: gtpclass run started"
	count_at_upf 2.5
	nfrag=$(frag 20)
	wait $COUNT_PID
	wait $RUN_PID
	RUN_PID=
	check "$mode: 20 fragmented G-PDUs ($nfrag fragments) reassembled at the UPF ($(cat "$WORK/count"))" \
		"[ \$(cat '$WORK/count') = 20 ] && [ \"\$(val forwarded_outer_fragment '$WORK/sum.frag.$mode')\" = $nfrag ]"
done

# 4. Fail open: after kill -9 the kernel forwards N3 to the UPF again.
conf
"$BIN" run -c "$WORK/conf.yaml" > "$WORK/run.kill" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.kill" || bad "kill: gtpclass run started"
kill -9 $RUN_PID
wait $RUN_PID 2>/dev/null
RUN_PID=
count_at_upf 3
n=$(ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 4 -m urllc:4 -d 1 -i $P-gnb --uplink-only \
	--upf $NET.100 --gnb $NET.1 2>&1 | sed -n 's/^gen: sent \([0-9]*\) frames.*/\1/p')
wait $COUNT_PID
check "after kill -9, sending 1 s later, the UPF receives all $n G-PDUs ($(cat "$WORK/count"))" "[ \$(cat '$WORK/count') = $n ] && [ $n -gt 100 ]"

# 5. The egress cannot drain (link down): frames are counted, never lost
# silently. The next hop is configured: a link going down flushes its
# neighbours, and frames without a next hop would go to the kernel instead.
conf
sed -i 's/^rx_ring_size: .*/rx_ring_size: 2048\ntx_ring_size: 64/' "$WORK/conf.yaml"
echo "  next_hop_mac: $UPF_MAC" >> "$WORK/conf.yaml"
"$BIN" run -c "$WORK/conf.yaml" -d 4 -s "$WORK/sum.full" > "$WORK/run.full" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.full" || bad "ring full: gtpclass run started"
ip link set $P-eg down
ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 4 -m embb:4 -d 1 -i $P-gnb --uplink-only \
	--upf $NET.100 --gnb $NET.1 > /dev/null 2>&1
ip link set $P-eg up
wait $RUN_PID
rc=$?
RUN_PID=
check "egress down: $(val worker_tx_ring_full "$WORK/sum.full") frames counted as tx_ring_full, the books balance (exit $rc)" \
	"[ $(val worker_tx_ring_full "$WORK/sum.full") -gt 0 ] && [ \"\$(val balanced '$WORK/sum.full')\" = 1 ] && [ $rc = 0 ]"

finish inline

#!/bin/bash
# make demo: the main job on the built-in topology, inline on N3. A gNB in
# namespace gtpc-ran sends GTP-U to the UPF's N3 address (192.0.2.100);
# gtpclass on gtpc-n3 classifies it with the bundled model and
# conf/gtpclass.yaml, and forwards what passes by AF_XDP TX into gtpc-eg,
# whose peer is the UPF's interface in namespace gtpc-upf: gNB -> gtpclass ->
# UPF. Flood UEs are dropped, voice is marked DSCP 46. Live lines for about
# ten seconds, then the totals, a per-UE confusion matrix and what the UPF
# received. Everything is removed at the end, also on Ctrl-C.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
SECS=${DEMO_SECONDS:-10}
MIX=${DEMO_MIX:-urllc:2,urllc_game:2,embb:2,embb_video:1,embb_call:1,voice:3,voice_bg:1,mmtc:2,mmtc_keepalive:2,flood:1,flood_syn:1}
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -INT "$RUN_PID" 2>/dev/null && wait "$RUN_PID"
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	scripts/topo.sh down gtpc
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/topo.sh up-upf 2 gtpc 192.0.2
echo "demo: gNB (namespace gtpc-ran) -> gtpc-n3 [gtpclass] -> gtpc-eg -> UPF 192.0.2.100 (namespace gtpc-upf)"
ping -c 1 -W 1 192.0.2.100 > /dev/null # the UPF's MAC, as a host that already forwards N3 has it
ip netns exec gtpc-upf dumpcap -q -P -B 64 -i gtpc-up -f "udp port 2152" -w "$WORK/upf.pcap" 2>/dev/null &
CAP_PID=$!
"$BIN" run -c conf/gtpclass.yaml -d $((SECS + 3)) -w "$WORK/windows.csv" &
RUN_PID=$!
sleep 1.5
echo "demo: sending $SECS s of GTP-U from 18 UEs ($MIX), one sender per queue"
for k in 0 1; do
	ip netns exec gtpc-ran taskset -c $k "$BIN" gen -p conf/profiles.yaml -u 18 -m "$MIX" -d "$SECS" -s 7 \
		-i gtpc-gnb --uplink-only --shard $k/2 -l "$WORK/labels.csv" &
done
wait %3 %4 2>/dev/null
wait "$RUN_PID"
RUN_PID=
sleep 0.5
kill "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
CAP_PID=
/usr/bin/python3 scripts/confusion.py "$WORK/windows.csv" "$WORK/labels.csv"
/usr/bin/python3 scripts/upf_received.py "$WORK/upf.pcap" "$WORK/labels.csv"

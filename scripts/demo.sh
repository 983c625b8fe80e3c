#!/bin/bash
# make demo: the main job on the built-in topology. A veth pair with two
# queues (gtpc-n3 here, gtpc-gnb in namespace gtpc-ran), gtpclass on gtpc-n3
# with the bundled model and conf/gtpclass.yaml, GTP-U from 18 UEs of five
# profiles sent from the namespace, live lines for about ten seconds, then
# the totals and a per-UE confusion matrix. Everything is removed at the end,
# also on Ctrl-C.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
SECS=${DEMO_SECONDS:-10}
MIX=${DEMO_MIX:-urllc:4,embb:4,voice:4,mmtc:4,flood:2}
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -INT "$RUN_PID" 2>/dev/null && wait "$RUN_PID"
	scripts/topo.sh down gtpc
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/topo.sh up 2 gtpc 192.0.2
echo "demo: veth gtpc-n3 (here) <-> gtpc-gnb (namespace gtpc-ran), 2 queues"
"$BIN" run -c conf/gtpclass.yaml -d $((SECS + 3)) -w "$WORK/windows.csv" &
RUN_PID=$!
sleep 1.5
echo "demo: sending $SECS s of GTP-U from 18 UEs ($MIX), one sender per queue"
for k in 0 1; do
	ip netns exec gtpc-ran taskset -c $k "$BIN" gen -p conf/profiles.yaml -u 18 -m "$MIX" -d "$SECS" -s 7 \
		-i gtpc-gnb --uplink-only --shard $k/2 -l "$WORK/labels.csv" &
done
wait %2 %3 2>/dev/null
wait "$RUN_PID"
RUN_PID=
/usr/bin/python3 scripts/confusion.py "$WORK/windows.csv" "$WORK/labels.csv"

#!/bin/bash
# The counter table is the one source of names: a short live run in each
# mode reports every row in --summary, and each XDP fate row equals what the
# program counted in its (pinned, kept) counters map.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpk
NET=198.18.4
PIN=/sys/fs/bpf/gtpclass-counters-test
. tests/lib.sh
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	scripts/topo.sh down $P
	rm -rf "$PIN" "$WORK"
}
trap cleanup EXIT

need_netns counters
scripts/topo.sh up 2 $P $NET
test_conf $P-n3 $PIN -e "s/^keep_pinned: .*/keep_pinned: true/" -e "s/ttl_ms: .*/ttl_ms: 1500/" > "$WORK/conf.yaml"
"$BIN" counters | cut -f1,3 > "$WORK/table"
check "the table lists the XDP fates first" "[ \"\$(head -1 '$WORK/table')\" = \"redirected	xdp\" ]"

for mode in afxdp kernel; do
	rm -rf "$PIN"
	"$BIN" run -c "$WORK/conf.yaml" -m $mode -d 5 -s "$WORK/sum.$mode" -w "$WORK/win.$mode" > "$WORK/run.$mode" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/run.$mode" || bad "$mode: gtpclass run started"
	ip netns exec $P-ran ping -c 2 -i 0.2 -W 1 $NET.100 > /dev/null 2>&1
	ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 6 -m urllc:2,embb:2,flood:2 -d 2 -s 5 \
		-i $P-gnb --uplink-only --upf $NET.100 --gnb $NET.1 2>/dev/null
	wait $RUN_PID
	rc=$?
	RUN_PID=
	check "$mode: the run exits 0 with balanced books" "[ $rc = 0 ] && grep -q '^balanced=1' '$WORK/sum.$mode'"
	missing=""
	while IFS=$'\t' read -r name src; do
		case $name in
		*'<class>') for c in urllc embb voice mmtc flood; do
			grep -q "^${name%<class>}$c=" "$WORK/sum.$mode" || missing="$missing ${name%<class>}$c"
		done ;;
		*) grep -q "^$name=" "$WORK/sum.$mode" || missing="$missing $name" ;;
		esac
	done < "$WORK/table"
	check "$mode: every row of the table is in --summary${missing:+ (missing:$missing)}" "[ -z '$missing' ]"
	# Per-CPU sums of the pinned map, by index; the table's xdp rows are in that order.
	bpftool -j map dump pinned "$PIN/$P-n3/counters" | /usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin):
    f = e["formatted"]
    print(f["key"], sum(v["value"] for v in f["values"]))' > "$WORK/map.$mode"
	bad=""
	i=0
	while IFS=$'\t' read -r name src; do
		[ "$src" = xdp ] || continue
		want=$(awk -v k=$i '$1 == k {print $2}' "$WORK/map.$mode")
		got=$(sed -n "s/^$name=//p" "$WORK/sum.$mode")
		[ "$want" = "$got" ] || bad="$bad $name:$got/$want"
		i=$((i + 1))
	done < "$WORK/table"
	check "$mode: each XDP row equals the program's own count (${i} rows${bad:+; differ:$bad})" "[ -z '$bad' ] && [ $i -gt 20 ]"
	check "$mode: traffic was seen and classified ($(sed -n 's/^seen=//p' "$WORK/sum.$mode") packets, $(sed -n 's/^windows=//p' "$WORK/sum.$mode") windows)" \
		"[ $(sed -n 's/^seen=//p' "$WORK/sum.$mode") -gt 1000 ] && [ $(sed -n 's/^windows=//p' "$WORK/sum.$mode") -gt 5 ]"
	check "$mode: flood UEs were dropped in XDP ($(sed -n 's/^dropped_verdict=//p' "$WORK/sum.$mode"))" \
		"[ $(sed -n 's/^dropped_verdict=//p' "$WORK/sum.$mode") -gt 0 ]"
done
check "both modes write the same window-CSV header" "cmp -s <(head -1 '$WORK/win.afxdp') <(head -1 '$WORK/win.kernel')"
fields=$(head -1 "$WORK/win.afxdp" | awk -F, '{print NF}')
check "every kernel-mode row has the header's $fields columns and a class" \
	"[ \$(tail -n +2 '$WORK/win.kernel' | awk -F, -v n=$fields 'NF != n || \$(n-1) == \"\" {b++} END {print b+0}') = 0 ] && [ \$(wc -l < '$WORK/win.kernel') -gt 5 ]"
finish counters

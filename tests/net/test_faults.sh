#!/bin/bash
# Faults of the host, noticed through rtnetlink and said: N3 set down and
# up again is logged and shows in the stats' link_up; N3 deleted under a
# running gtpclass either ends the run loudly (on_interface_gone: exit,
# status 4, the totals printed, its pins removed; a supervisor starts it
# again) or closes that attachment's books, waits and attaches again when
# the interface returns (reattach, the default), classifying again without
# a restart. Never a run that looks healthy while seeing nothing.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpf
NET=198.18.14
PIN=/sys/fs/bpf/gtpclass-faults
. tests/lib.sh
net_suite faults $P 2 $NET $PIN
test_conf $P-n3 $PIN -e 's/^on_interface_gone: .*/on_interface_gone: exit/' > "$WORK/exit.yaml"
test_conf $P-n3 $PIN > "$WORK/reattach.yaml"
send() {
	ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 4 -m urllc:2,flood:2 -d "$1" -s 3 -i $P-gnb \
		--uplink-only --upf $NET.100 --gnb $NET.1 2> /dev/null
}
stat_of() { # stat_of NAME: one value of the running instance's stats page
	"$BIN" stats -i $P-n3 -p $PIN 2> /dev/null | awk -v n="$1" '$1 == n {print $2}'
}
totals_of() { # totals_of NAME LOG: NAME's values in LOG's totals, one per attachment
	awk -v n="$1" '$1 == n && $2 ~ /^[0-9]+$/ {print $2}' "$2" | tr '\n' ' '
}

# on_interface_gone: exit
"$BIN" run -c "$WORK/exit.yaml" -d 20 > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || bad "gtpclass run started"
send 1
ip link del $P-n3
for _ in $(seq 50); do kill -0 $RUN_PID 2>/dev/null || break; sleep 0.1; done
wait $RUN_PID
rc=$?
RUN_PID=
check "on_interface_gone: exit: the interface deleted, the run stops with exit 4 (exit $rc), saying why" \
	"[ $rc = 4 ] && grep -q '$P-n3 was deleted' '$WORK/run.log' && grep -q 'on_interface_gone: exit' '$WORK/run.log'"
check "with the totals of what it saw ($(totals_of worker_rx "$WORK/run.log")frames) and its pins removed" \
	"grep -q '^totals:' '$WORK/run.log' && [ \$(totals_of worker_rx '$WORK/run.log') -gt 0 ] && [ ! -e $PIN/$P-n3 ]"

# on_interface_gone: reattach (the default)
scripts/topo.sh up 2 $P $NET
"$BIN" run -c "$WORK/reattach.yaml" -d 40 -s "$WORK/sum" > "$WORK/run2.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run2.log" || bad "gtpclass started again"
check "health in the stats: link_up 1 while N3 is up ($(stat_of link_up))" "[ '$(stat_of link_up)' = 1 ]"
ip link set $P-n3 down
sleep 0.5
check "N3 set down: logged, link_up $(stat_of link_up) in the stats" \
	"grep -q '$P-n3 went down (set down)' '$WORK/run2.log' && [ '$(stat_of link_up)' = 0 ]"
ip link set $P-n3 up
sleep 0.5
check "N3 up again: logged, link_up $(stat_of link_up), link_changes $(stat_of link_changes)" \
	"grep -q '$P-n3 is up again' '$WORK/run2.log' && [ '$(stat_of link_up)' = 1 ] && [ '$(stat_of link_changes)' = 2 ]"
send 1
ip link del $P-n3
for _ in $(seq 50); do grep -q "waiting for $P-n3" "$WORK/run2.log" && break; sleep 0.1; done
check "deleted: the attachment's books closed and balanced, the daemon waits" \
	"kill -0 $RUN_PID && grep -q 'books of this attachment' '$WORK/run2.log' && grep -q 'waiting for $P-n3 to return' '$WORK/run2.log' && grep -q ': balanced$' '$WORK/run2.log' && ! grep -q 'NOT BALANCED' '$WORK/run2.log'"
sleep 1
back=$(date +%s.%N)
scripts/topo.sh up 2 $P $NET
again=
for _ in $(seq 100); do
	if [ "$(grep -c 'running on' "$WORK/run2.log")" = 2 ]; then
		again=$(date +%s.%N)
		break
	fi
	sleep 0.02
done
check "the interface back: attached again in the same process, $(awk -v a="$back" -v b="${again:-0}" 'BEGIN {printf "%.2f", b - a}') s after it was re-created (attachments $(stat_of attachments))" \
	"[ -n '$again' ] && grep -q '$P-n3 is back: attaching again' '$WORK/run2.log' && [ '$(stat_of attachments)' = 2 ]"
send 2
kill -INT $RUN_PID
wait $RUN_PID
rc=$?
RUN_PID=
check "and classifies again: exit $rc, $(sed -n 's/^windows=//p' "$WORK/sum") windows after the return, balanced ($(totals_of worker_rx "$WORK/run2.log")frames per attachment)" \
	"[ $rc = 0 ] && [ \$(sed -n 's/^windows=//p' '$WORK/sum') -gt 0 ] && [ \$(sed -n 's/^attachments=//p' '$WORK/sum') = 2 ]"
finish faults

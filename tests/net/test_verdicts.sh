#!/bin/bash
# Who is dropped and why, from another shell: `gtpclass verdicts` lists the
# flood UEs of the demo traffic by address with class and action; `verdicts
# clear` lifts one and the worker forgets it too (its next verdict comes
# from a new window, not from the old state); a prefix in policy.allow is
# never given a verdict, and one allowed at run time loses its verdict and
# gets no other.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpv
NET=198.18.10
PIN=/sys/fs/bpf/gtpclass-verdicts
. tests/lib.sh
net_suite verdicts $P 2 $NET $PIN
# UEs 10.45.0.1-3 urllc, .4-.5 voice, .6-.8 flood; .8 is allowed.
test_conf $P-n3 $PIN | sed 's/^  actions:/  allow: [10.45.0.8\/32]\n  actions:/' > "$WORK/conf.yaml"
printf 'events:\n  file: %s\n  windows: true\n' "$WORK/ev.jsonl" >> "$WORK/conf.yaml"

"$BIN" verdicts -p $PIN > "$WORK/none" 2>&1
check "verdicts without a running instance says so (exit $?)" "grep -q 'no running instance\|No such file' '$WORK/none'"
"$BIN" run -c "$WORK/conf.yaml" -d 11 -s "$WORK/sum" > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || bad "gtpclass run started"
ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 8 -m urllc:3,voice:2,flood:3 -d 8 -s 6 -i $P-gnb \
	--uplink-only --upf $NET.100 --gnb $NET.1 2> /dev/null &
GEN=$!
sleep 2.5
"$BIN" verdicts -p $PIN > "$WORK/list" 2>&1
check "verdicts lists the flood UEs by address, class and action ($(grep -c 'flood' "$WORK/list") flood lines)" \
	"grep -q '^10.45.0.6  *flood  *drop' '$WORK/list' && grep -q '^10.45.0.7  *flood  *drop' '$WORK/list'"
check "and the voice UEs as marked EF, each with a wall-clock since and expiry" \
	"grep -q '^10.45.0.4  *voice  *mark 46 .* $(date +%Y-%m-%d) ' '$WORK/list'"
check "the allowed flood UE has no verdict" "! grep -q '^10.45.0.8 ' '$WORK/list'"
"$BIN" verdicts -p $PIN clear 10.45.0.6 > "$WORK/clear" 2>&1
check "verdicts clear 10.45.0.6 lifts it (exit $?)" "grep -q 'lifted the verdict of 10.45.0.6' '$WORK/clear'"
"$BIN" verdicts -p $PIN clear 10.45.0.99 > "$WORK/clear2" 2>&1
check "clearing a UE without a verdict is an error (exit $?)" "grep -q \"no verdict for '10.45.0.99'\" '$WORK/clear2'"
sleep 1
"$BIN" verdicts -p $PIN allow 10.45.0.7/32 > "$WORK/allow" 2>&1
"$BIN" verdicts -p $PIN allow 10.45.0/7 > "$WORK/allow2" 2>&1
check "verdicts allow takes a prefix (exit $?), and refuses what is not one" \
	"grep -q 'asked the instance to allow 10.45.0.7/32' '$WORK/allow' && grep -q 'not an address/length prefix' '$WORK/allow2'"
wait $GEN
wait $RUN_PID
rc=$?
RUN_PID=
check "the run balanced (exit $rc)" "[ $rc = 0 ]"
check "the daemon logged both requests" \
	"grep -q 'verdict of 10.45.0.6 lifted by the operator' '$WORK/run.log' && grep -q 'allowed 10.45.0.7/32: .*(1 verdict lifted)' '$WORK/run.log'"
# The event log, per UE, in order.
/usr/bin/python3 - "$WORK/ev.jsonl" > "$WORK/seq" <<'PY'
import json, sys
seq = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    code = {"verdict": "v", "verdict_lifted": "l", "window": "w" + e.get("class", "?")[:1]}[e["event"]]
    seq.setdefault(e["ue"], []).append(code)
for ue in ("10.45.0.6", "10.45.0.7", "10.45.0.8"):
    print(ue, "".join(seq.get(ue, [])))
PY
s6=$(awk '$1 == "10.45.0.6" {print $2}' "$WORK/seq")
s7=$(awk '$1 == "10.45.0.7" {print $2}' "$WORK/seq")
s8=$(awk '$1 == "10.45.0.8" {print $2}' "$WORK/seq")
# v: verdict, l: lifted (v_erdict_lifted), wf: a window classified flood.
check "cleared UE: dropped, lifted, then a new window before it is dropped again (${s6//wf/w})" \
	"echo '$s6' | grep -Eq '^(wf)+v(wf)*l(wf)+v'"
check "UE allowed at run time: lifted, then windows of flood and no verdict (${s7//wf/w})" \
	"echo '$s7' | grep -Eq '^(wf)+v(wf)*l(wf)+\$'"
check "UE allowed in the config: flood windows, never a verdict (${s8//wf/w})" \
	"echo '$s8' | grep -Eq '^(wf){5,}\$'"
finish verdicts

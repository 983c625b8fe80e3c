#!/bin/bash
# Counters and events for other programs: `gtpclass stats --json` and the
# Prometheus endpoint (scraped with curl) give the counts the run's exit
# totals give once the traffic is over; the event log has one valid JSON
# line per verdict change, naming UE, class, vote share, action and TTL.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpx
NET=198.18.9
PIN=/sys/fs/bpf/gtpclass-exporters
PORT=19464
. tests/lib.sh
net_suite exporters $P 2 $NET $PIN
{
	test_conf $P-n3 $PIN
	printf 'metrics:\n  listen: 127.0.0.1:%s\nevents:\n  file: %s\n' $PORT "$WORK/events.jsonl"
} > "$WORK/conf.yaml"
val() { sed -n "s/^$1=//p" "$WORK/sum"; }

"$BIN" stats -p $PIN > "$WORK/none.out" 2>&1
check "stats without a running instance says so (exit $?)" "grep -q 'no running instance\|No such file' '$WORK/none.out'"
"$BIN" run -c "$WORK/conf.yaml" -d 7 -s "$WORK/sum" > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || bad "gtpclass run started"
ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 8 -m urllc:3,voice:2,flood:3 -d 3 -s 6 -i $P-gnb \
	--uplink-only --upf $NET.100 --gnb $NET.1 2> /dev/null
sleep 1.5 # the page is published at each stats interval (1 s)
"$BIN" stats -p $PIN --json > "$WORK/stats.json" 2> "$WORK/stats.err"
"$BIN" stats -p $PIN -i $P-n3 > "$WORK/stats.txt" 2>&1
curl -s -o "$WORK/metrics.txt" -w '%{http_code} %{content_type}' http://127.0.0.1:$PORT/metrics > "$WORK/curl.out"
curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$PORT/other > "$WORK/curl404.out"
wait $RUN_PID
rc=$?
RUN_PID=
check "the run balanced (exit $rc)" "[ $rc = 0 ]"
json() { /usr/bin/python3 -c "import json,sys; print(json.load(open('$WORK/stats.json'))$1)" 2>/dev/null; }
for row in redirected worker_rx worker_gpdu worker_accounted dropped_verdict; do
	check "stats --json: $row $(json "['counters']['$row']") = exit total $(val $row)" \
		"[ '$(json "['counters']['$row']")' = '$(val $row)' ] && [ $(val $row) -gt 0 ]"
done
check "stats --json names the instance and its classes ($(json "['interface']"), pid $(json "['pid']"))" \
	"[ '$(json "['interface']")' = $P-n3 ] && [ '$(json "['classes']['flood']['verdicts']")' -gt 0 ]"
check "stats as text lists every row ($(wc -l < "$WORK/stats.txt") lines)" \
	"[ \$(grep -c '' '$WORK/stats.txt') -gt $("$BIN" counters | wc -l) ] && grep -q '^redirected  *$(val redirected)\$' '$WORK/stats.txt'"
prom() { sed -n "s/^gtpclass_$1{interface=\"$P-n3\"${2:-}} //p" "$WORK/metrics.txt"; }
check "the Prometheus endpoint answers ($(cat "$WORK/curl.out")), unknown paths get 404 ($(cat "$WORK/curl404.out"))" \
	"grep -q '^200 text/plain; version=0.0.4' '$WORK/curl.out' && [ \$(cat '$WORK/curl404.out') = 404 ]"
for row in redirected worker_rx dropped_verdict; do
	check "Prometheus: ${row}_total $(prom ${row}_total) = exit total $(val $row)" "[ '$(prom ${row}_total)' = '$(val $row)' ]"
done
check "Prometheus: per-class windows, with HELP and TYPE ($(prom class_windows_total ',class="flood"') flood windows)" \
	"[ -n '$(prom class_windows_total ',class="flood"')' ] && grep -q '^# TYPE gtpclass_class_windows_total counter' '$WORK/metrics.txt' && grep -q '^# TYPE gtpclass_ues gauge' '$WORK/metrics.txt'"
/usr/bin/python3 - "$WORK/events.jsonl" > "$WORK/ev.out" <<'PY'
import json, sys
set_, lifted, bad, flood = 0, 0, 0, 0
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        bad += 1
        continue
    if e["event"] == "verdict":
        set_ += 1
        # The shipped policy: flood drops, voice is marked EF.
        want = {"flood": ("drop", None), "voice": ("mark", 46)}.get(e["class"])
        ok = want and e["action"] == want[0] and e.get("dscp") == want[1] and 0 < e["vote_share"] <= 1 \
            and e["ttl_ms"] > 0 and e["ue"].startswith("10.45.0.")
        flood += bool(ok)
    elif e["event"] == "verdict_lifted":
        lifted += 1
print(set_, lifted, bad, flood)
PY
read -r n_set n_lifted n_bad n_flood < "$WORK/ev.out"
check "the event log: one valid JSON line per verdict set ($n_set = $(val verdicts_set)) and lifted ($n_lifted = $(val verdicts_cleared)), $n_bad invalid" \
	"[ $n_set = $(val verdicts_set) ] && [ $n_lifted = $(val verdicts_cleared) ] && [ $n_bad = 0 ] && [ $n_set -gt 0 ]"
check "each verdict line names the UE, its class and the policy's action for it, vote share and TTL ($n_flood of $n_set)" \
	"[ '$n_flood' = '$n_set' ] && [ '$n_set' -gt 0 ]"
finish exporters

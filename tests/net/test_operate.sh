#!/bin/bash
# Operating a running instance: a second one on the same interface is
# refused and changes nothing; instances on two interfaces share nothing;
# SIGUSR1 prints the totals so far and SIGPIPE is ignored; SIGHUP reloads
# the policy (a class's action changes while the UEs keep their windows)
# and refuses a broken model, the old one serving on.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpo
Q=gtpq
NET=198.18.7
NET2=198.18.8
PIN=/sys/fs/bpf/gtpclass-operate
. tests/lib.sh
cleanup() {
	local p
	for p in ${PIDS:-}; do kill -9 "$p" 2>/dev/null; done
	scripts/topo.sh down $P
	scripts/topo.sh down $Q
	rm -rf "$WORK" $PIN
}
trap cleanup EXIT
need_netns operate
scripts/topo.sh up 2 $P $NET
scripts/topo.sh up 2 $Q $NET2
test_conf $P-n3 $PIN -e "s/action: drop/action: pass/" > "$WORK/conf.yaml"
sed "s/^interface: .*/interface: $Q-n3/" "$WORK/conf.yaml" > "$WORK/conf2.yaml"
val() { sed -n "s/^$2=//p" "$1"; }
# The same classes, one threshold moved: another model.
cp model/default.yaml "$WORK/other.yaml"
awk -F, 'BEGIN {OFS = ","} $1 == "n" && !done {$3 = $3 + 1; done = 1} {print}' model/default.csv > "$WORK/default.csv"
send() { # send PREFIX NET SECONDS SEED: the sender's report in WORK/PREFIX.gen
	ip netns exec "$1-ran" "$BIN" gen -p conf/profiles.yaml -u 8 -m urllc:3,voice:2,flood:3 -d "$3" -s "$4" \
		-i "$1-gnb" --uplink-only --upf "$2.100" --gnb "$2.1" 2> "$WORK/$1.gen"
}

# One instance per interface.
"$BIN" run -c "$WORK/conf.yaml" -d 14 -s "$WORK/one.sum" > "$WORK/one.log" 2>&1 &
ONE=$!
PIDS="$ONE"
wait_running "$WORK/one.log" || bad "the first instance started"
"$BIN" run -c "$WORK/conf.yaml" -d 2 > "$WORK/second.log" 2>&1
rc=$?
check "a second instance on $P-n3 is refused, naming the first ($(head -c 120 "$WORK/second.log"))" \
	"[ $rc = 1 ] && grep -q 'already runs on $P-n3 (pid $ONE' '$WORK/second.log'"
check "and the first's pins are intact ($(ls $PIN/$P-n3 | tr '\n' ' '))" \
	"[ -e $PIN/$P-n3/verdicts ] && [ -e $PIN/$P-n3/counters ] && kill -0 $ONE"

# A second interface: its own pins, its own counters.
"$BIN" run -c "$WORK/conf2.yaml" -d 8 -s "$WORK/two.sum" > "$WORK/two.log" 2>&1 &
TWO=$!
PIDS="$ONE $TWO"
wait_running "$WORK/two.log" || bad "the instance on $Q-n3 started"
check "the instance on $Q-n3 runs beside it, pinned apart" "[ -e $PIN/$Q-n3/verdicts ] && kill -0 $TWO"

send $P $NET 9 3 &
GEN1=$!
send $Q $NET2 2 4
sleep 1.5
kill -USR1 $ONE
kill -PIPE $ONE
sleep 0.5
before=$(awk '/^SIGUSR1/ {s = 1} s && $1 == "dropped_verdict" {print $2; exit}' "$WORK/one.log")
check "SIGUSR1 prints the totals so far; SIGPIPE is ignored" \
	"grep -q '^SIGUSR1: the totals so far' '$WORK/one.log' && grep -q '^    windows ' '$WORK/one.log' && kill -0 $ONE"

# Reload: flood now drops.
sed -i "/class: flood/{n;s/action: pass/action: drop/}" "$WORK/conf.yaml"
kill -HUP $ONE
sleep 2.5
kill -USR1 $ONE
sleep 0.3
check "SIGHUP reloads the policy ($(grep -m1 reload "$WORK/one.log"))" "grep -q 'reloaded .*the same model' '$WORK/one.log'"
# A broken model is refused; the old one serves on.
printf 'format: emlearn-csv\nfeatures: [pkt_count]\n' > "$WORK/broken.yaml"
cp "$WORK/conf.yaml" "$WORK/conf.good"
sed -i "s#model: .*#model: $WORK/broken.yaml#" "$WORK/conf.yaml"
kill -HUP $ONE
sleep 1.5
check "a broken model on SIGHUP is refused, saying why ($(grep -m1 'reload refused' "$WORK/one.log" | head -c 160))" \
	"grep -q 'reload refused, the running model and policy stay: .*broken.yaml' '$WORK/one.log' && kill -0 $ONE"
# A valid new model is taken.
sed "s#model: .*#model: $WORK/other.yaml#" "$WORK/conf.good" > "$WORK/conf.yaml"
kill -HUP $ONE
sleep 1
check "SIGHUP takes a new model with the same classes" "grep -q 'reloaded .*a new model' '$WORK/one.log'"
wait $GEN1
wait $ONE
rc1=$?
wait $TWO
rc2=$?
PIDS=
check "no flood UE was dropped before the reload (${before:-none})" "[ -z '$before' ] || [ '$before' = 0 ]"
check "after it flood UEs were dropped in XDP ($(val "$WORK/one.sum" dropped_verdict)) by verdicts ($(val "$WORK/one.sum" verdicts_set))" \
	"[ $(val "$WORK/one.sum" dropped_verdict) -gt 0 ] && [ $(val "$WORK/one.sum" verdicts_set) -gt 0 ]"
check "the UEs kept their state across the reloads: 8 UEs, $(val "$WORK/one.sum" ues_new) created" \
	"[ $(val "$WORK/one.sum" ues_new) = 8 ]"
check "the first instance balanced every G-PDU across the reloads (exit $rc1)" \
	"[ $rc1 = 0 ] && [ $(val "$WORK/one.sum" worker_gpdu) -gt 1000 ]"
sent2=$(sed -n 's/^gen: sent \([0-9]*\) .*/\1/p' "$WORK/$Q.gen")
check "the instance on $Q-n3 counted only its own traffic ($(val "$WORK/two.sum" redirected) redirected of $sent2 sent there) and balanced (exit $rc2)" \
	"[ $rc2 = 0 ] && [ $(val "$WORK/two.sum" redirected) -le ${sent2:-0} ] && [ $(val "$WORK/two.sum" redirected) -gt $((${sent2:-0} * 9 / 10)) ]"
check "each instance removed its own pins on exit" "[ ! -e $PIN/$P-n3 ] && [ ! -e $PIN/$Q-n3 ]"

# Kernel mode: the policy reloads; a new model needs a restart.
cp "$WORK/conf.good" "$WORK/conf.yaml"
"$BIN" run -c "$WORK/conf.yaml" -m kernel -d 4 > "$WORK/k.log" 2>&1 &
K=$!
PIDS=$K
wait_running "$WORK/k.log" || bad "kernel mode started"
sed -i "/class: flood/{n;s/action: pass/action: drop/}" "$WORK/conf.yaml"
kill -HUP $K
sleep 0.5
sed -i "s#model: .*#model: $WORK/other.yaml#" "$WORK/conf.yaml"
kill -HUP $K
wait $K
PIDS=
check "kernel mode: SIGHUP reloads the policy" "grep -q 'reloaded .*the same model' '$WORK/k.log'"
check "kernel mode: a different model is refused until a restart ($(grep -m1 'reload refused' "$WORK/k.log" | head -c 140))" \
	"grep -q 'reload refused.*restart' '$WORK/k.log'"
finish operate

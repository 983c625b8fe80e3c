#!/bin/bash
# The capability list of the systemd unit (and of docs/OPERATIONS.md) is
# enough: the daemon runs under exactly it, in both modes, and classifies;
# without any one of them, or without CAP_IPC_LOCK and with a small
# locked-memory limit, it stops at once naming what is missing.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpz
NET=198.18.11
PIN=/sys/fs/bpf/gtpclass-privileges
. tests/lib.sh
net_suite privileges $P 2 $NET $PIN
test_conf $P-n3 $PIN > "$WORK/conf.yaml"
caps=$(sed -n 's/^CapabilityBoundingSet=//p' conf/gtpclass@.service)
# CAP_NET_ADMIN -> +net_admin, as setpriv spells them.
setpriv_list() { local c out=""; for c in $1; do c=${c#CAP_}; out="$out,+${c,,}"; done; echo "${out#,}"; }
docs_caps=$(grep -o 'CAP_[A-Z_]*' <(sed -n '/^## Capabilities/,/^## /p' docs/OPERATIONS.md) | grep -v SYS_ADMIN | sort -u | tr '\n' ' ')
check "the unit grants what the docs list ($caps)" "[ '$(echo $caps | tr ' ' '\n' | sort | tr '\n' ' ')' = '$docs_caps' ]"

for mode in afxdp kernel; do
	setpriv --bounding-set=-all,$(setpriv_list "$caps") --inh-caps=-all \
		"$BIN" run -c "$WORK/conf.yaml" -m $mode -d 4 -s "$WORK/sum.$mode" > "$WORK/run.$mode" 2>&1 &
	RUN_PID=$!
	wait_running "$WORK/run.$mode" || bad "$mode: gtpclass started under the unit's capabilities"
	grep -q '^CapEff:' /proc/$RUN_PID/status && eff=$(awk '/^CapEff/ {print $2}' /proc/$RUN_PID/status)
	ip netns exec $P-ran "$BIN" gen -p conf/profiles.yaml -u 6 -m urllc:3,flood:3 -d 1.5 -s 2 -i $P-gnb \
		--uplink-only --upf $NET.100 --gnb $NET.1 2> /dev/null
	wait $RUN_PID
	rc=$?
	RUN_PID=
	check "$mode: runs under exactly $caps (CapEff $eff), classifies and balances (exit $rc)" \
		"[ $rc = 0 ] && [ \$(sed -n 's/^windows=//p' '$WORK/sum.$mode') -gt 0 ] && [ \$(sed -n 's/^dropped_verdict=//p' '$WORK/sum.$mode') -gt 0 ]"
done

for c in $caps; do
	less=$(setpriv_list "${caps/$c/}")
	(ulimit -l 64; setpriv --bounding-set=-all,$less --inh-caps=-all "$BIN" run -c "$WORK/conf.yaml" -d 1) \
		> "$WORK/without" 2>&1
	rc=$?
	check "without $c: refused at start, naming it (exit $rc: $(grep -o 'missing capability [A-Z_]*' "$WORK/without"))" \
		"[ $rc = 1 ] && grep -q 'missing capability $c' '$WORK/without' && [ ! -e $PIN/$P-n3 ]"
done
finish privileges

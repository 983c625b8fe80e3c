#!/bin/bash
# churn.sh BIN: the UE table under pressure, live on veth. 100 established
# UEs (urllc, voice, mmtc; IPv4 inside) are replayed in real time for 60 s
# alone, then with 50,000 churning sensors (IPv6 inside, so no address is
# shared; a report every 1.5 s on average, ~33 kpps) on top, through
# classifier.max_ues: 1000 per worker. Prints, for both runs, the windows
# per second of the established UEs that are steadily active (urllc, voice)
# and of the sparse ones (mmtc, reporting every ~10 s: past the idle
# timeout, each report makes them newcomers again), the churners' fate
# (UEs that got state, untracked G-PDUs, evictions) and the daemon's
# resident memory sampled every 5 s.
# Used by make bench (section g).
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
P=gtpch
NET=198.18.17
PIN=/sys/fs/bpf/gtpclass-churn
. tests/lib.sh
W=$WORK
trap 'scripts/topo.sh down $P; [ -n "${KEEP:-}" ] && cp -r "$W" /tmp/churn-kept; rm -rf "$W" $PIN' EXIT
gen() { "$BIN" gen -d 60 --uplink-only --upf $NET.100 --gnb $NET.1 "$@" 2> /dev/null; }
# The churners report far more often than real sensors (conf/profiles.yaml's
# mmtc every ~10 s): what is measured is keys passing through the table.
printf '%s\n' 'profiles:' '  - name: churner' '    class: mmtc' '    qfi: 8' '    proto: udp' '    port: 40300' \
	'    size: { dist: normal, mean: 80, sd: 20, min: 40, max: 200 }' \
	'    interval_us: { dist: exp, mean: 1500000, min: 100000, max: 10000000 }' > "$W/churners.yaml"
gen -p conf/profiles.yaml -u 100 -m urllc:30,voice:40,mmtc:30 -s 5 -o "$W/est.pcap" -l "$W/est.labels"
gen -p "$W/churners.yaml" -u 50000 -m churner:50000 -s 9 --inner6 -o "$W/churn.pcap"
mergecap -F nsecpcap -w "$W/both.pcap" "$W/est.pcap" "$W/churn.pcap"
scripts/topo.sh up 2 $P $NET
test_conf $P-n3 $PIN -e 's/^  max_ues: .*/  max_ues: 1000/' > "$W/conf.yaml"

# run NAME CAPTURE: prints NAME, steady and sparse established windows/s,
# ues_new, ues_untracked, ues_evicted, RSS min/max/first (kB), exit status,
# balanced, worker_gpdu and socket_dropped.
run() {
	local name=$1 pcap=$2 pid rc est
	"$BIN" run -c "$W/conf.yaml" -d 64 -w "$W/win.$name.csv" -s "$W/sum.$name" > "$W/run.$name" 2>&1 &
	pid=$!
	wait_running "$W/run.$name"
	(while kill -0 $pid 2>/dev/null; do awk '/VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null; sleep 5; done) \
		> "$W/rss.$name" &
	ip netns exec $P-ran taskset -c 0 "$BIN" gen --replay "$pcap" -i $P-gnb 2> /dev/null
	wait $pid
	rc=$?
	est=$(awk -F, 'NR == FNR {if (FNR > 1) p[$1] = $3; next}
		FNR > 1 && ($1 in p) {n[p[$1] == "mmtc" ? "sparse" : "steady"]++}
		END {printf "%.1f %.1f", n["steady"] / 60, n["sparse"] / 60}' "$W/est.labels" "$W/win.$name.csv")
	val() { sed -n "s/^$1=//p" "$W/sum.$name"; }
	echo "$name $est $(val ues_new) $(val ues_untracked)" \
		"$(val ues_evicted) $(sort -n "$W/rss.$name" | sed -n '1p') $(sort -n "$W/rss.$name" | tail -1)" \
		"$(sed -n '1p' "$W/rss.$name") $rc $(val balanced) $(val worker_gpdu) $(val socket_dropped)"
}
run alone "$W/est.pcap"
run churn "$W/both.pcap"

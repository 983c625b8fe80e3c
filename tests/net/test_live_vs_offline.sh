#!/bin/bash
# One feature extractor: a generated capture is replayed through veth; the
# live worker logs its windows and records what it received with the XDP
# timestamps it used; `gtpclass features` on that recording must give the
# very same windows (start times to the nanosecond, every value).
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
P=gtpl
NET=198.18.3
. tests/lib.sh
cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	scripts/topo.sh down $P
	rm -rf "$WORK" /sys/fs/bpf/gtpclass-lvo
}
trap cleanup EXIT
need_netns live
scripts/topo.sh up 1 $P $NET
test_conf $P-n3 /sys/fs/bpf/gtpclass-lvo -e "s/action: drop/action: pass/" |
	/usr/bin/python3 -c "
import sys
sys.stdout.write(sys.stdin.read().replace('  - queue: 0\n    cpu: 0\n  - queue: 1\n    cpu: 1\n', '  - queue: 0\n    cpu: 1\n'))" \
	> "$WORK/conf.yaml"

"$BIN" gen -p conf/profiles.yaml -u 12 -m urllc:3,embb:3,voice:3,mmtc:1,flood:2 -d 4 -s 9 --uplink-only \
	--upf $NET.100 --gnb $NET.1 -o "$WORK/gen.pcap" 2>/dev/null
"$BIN" run -c "$WORK/conf.yaml" -d 8 -w "$WORK/live.csv" --pcap-out "$WORK/rec.pcap" -s "$WORK/sum" > "$WORK/run.log" 2>&1 &
RUN_PID=$!
wait_running "$WORK/run.log" || bad "gtpclass run started"
# The one worker has CPU 1; every other thread keeps off it.
main_cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/$RUN_PID/status)
worker_cpus=$(for t in /proc/$RUN_PID/task/*; do [ "${t##*/}" = $RUN_PID ] ||
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' $t/status; done | sort -u | tr '\n' ' ')
main_has_1=$(for r in ${main_cpus//,/ }; do [ ${r%-*} -le 1 ] && [ ${r#*-} -ge 1 ] && echo yes; done)
check "the worker runs on CPU 1 and the main thread off it (main: $main_cpus; others: $worker_cpus)" \
	"[ '$worker_cpus' = '1 ' ] && [ -n '$main_cpus' ] && [ -z '$main_has_1' ] &&
	 grep -q 'threads other than the workers run on' '$WORK/run.log'"
ip netns exec $P-ran taskset -c 0 "$BIN" gen --replay "$WORK/gen.pcap" -i $P-gnb 2> "$WORK/gen.log"
wait $RUN_PID
RUN_PID=
"$BIN" features "$WORK/rec.pcap" -c "$WORK/conf.yaml" -o "$WORK/offline.csv" 2>/dev/null

sent=$("$BIN" inspect "$WORK/gen.pcap" 2>/dev/null | wc -l)
got=$("$BIN" inspect "$WORK/rec.pcap" 2>/dev/null | wc -l)
check "the recording holds every replayed frame ($got of $sent)" "[ $sent -gt 10000 ] && [ $got = $sent ]"
same=$(diff <("$BIN" inspect "$WORK/gen.pcap" 2>/dev/null | cut -d' ' -f3- | sort) \
	<("$BIN" inspect "$WORK/rec.pcap" 2>/dev/null | cut -d' ' -f3- | sort) > /dev/null && echo yes)
check "and the same frames, byte for byte in every decoded field" "[ '$same' = yes ]"
/usr/bin/python3 - "$WORK/live.csv" "$WORK/offline.csv" "$WORK/gen.pcap" "$WORK/rec.pcap" > "$WORK/cmp" <<'PY'
import sys
live = open(sys.argv[1]).read().splitlines()[1:]
off = open(sys.argv[2]).read().splitlines()[1:]
missing = [r for r in live if r not in set(off)]
extra = len(off) - (len(live) - len(missing))
ues = len({r.split(",")[0] for r in off})
print(len(live), len(missing), extra, ues)
PY
read -r n_live n_missing n_extra n_ues < "$WORK/cmp"
check "every live window ($n_live) is an offline window, values and start times identical ($n_missing differ)" \
	"[ $n_live -gt 50 ] && [ $n_missing = 0 ]"
check "offline has only the windows still open at shutdown beyond them ($n_extra, at most one per UE: $n_ues)" \
	"[ $n_extra -le $n_ues ]"
finish live

#!/bin/bash
# Bad input is refused, never reinterpreted: each case must exit non-zero
# with a message naming the option, or the file and line, at fault.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT

refused() { # refused DESCRIPTION EXPECTED_RC NEEDLE COMMAND...
	local what=$1 want=$2 needle=$3 rc
	shift 3
	"$@" > "$WORK/out" 2>&1
	rc=$?
	check "$what: exit $rc, says '$needle'" "[ $rc = $want ] && grep -qF -- \"$needle\" '$WORK/out'"
}

refused "run -d abc" 2 "--duration: 'abc'" "$BIN" run -c conf/gtpclass.yaml -d abc
refused "run -d -1" 2 "--duration: '-1'" "$BIN" run -c conf/gtpclass.yaml -d -1
refused "run -d 5x" 2 "--duration: '5x'" "$BIN" run -c conf/gtpclass.yaml -d 5x
refused "run -m turbo" 2 "--mode: 'turbo' is not one of: afxdp, kernel" "$BIN" run -c conf/gtpclass.yaml -m turbo
refused "run without -c" 2 "--config is required" "$BIN" run
refused "run with a stray argument" 2 "too many arguments" "$BIN" run -c conf/gtpclass.yaml extra
refused "run --bogus" 2 "unknown option '--bogus'" "$BIN" run --bogus
refused "run -s into a missing folder" 1 "$WORK/nowhere/sum" "$BIN" run -c conf/gtpclass.yaml -s "$WORK/nowhere/sum"
refused "run -w into a missing folder" 1 "$WORK/nowhere/w.csv" "$BIN" run -c conf/gtpclass.yaml -w "$WORK/nowhere/w.csv"
refused "model import --key foo" 2 "--key: 'foo' is not one of: ue, flow, teid" \
	"$BIN" model import model/default.csv -o "$WORK/m" --key foo
refused "model import --window-ms 0" 2 "--window-ms: '0'" "$BIN" model import model/default.csv -o "$WORK/m" -w 0
refused "model frob" 2 "unknown subcommand 'frob'" "$BIN" model frob
refused "gen -u 0" 2 "--ues: '0'" "$BIN" gen -p conf/profiles.yaml -u 0 -o "$WORK/x.pcap"
refused "gen -u 12abc" 2 "--ues: '12abc'" "$BIN" gen -p conf/profiles.yaml -u 12abc -o "$WORK/x.pcap"
refused "gen -n -5" 2 "--count: '-5'" "$BIN" gen -p conf/profiles.yaml -n -5 -o "$WORK/x.pcap"
refused "gen --shard 3/2" 2 "--shard: '3/2'" "$BIN" gen -p conf/profiles.yaml --shard 3/2 -o "$WORK/x.pcap"
refused "gen --rate 0" 2 "--rate: '0'" "$BIN" gen -p conf/profiles.yaml --rate 0 -i lo
printf 'profiles:\n  - name: talk\n    qfi: 1\n    proto: udp\n    port: 40200\n    streams:\n      - dir: ul\n        size: { dist: const, mean: 95 }\n        interval_us: { dist: const, mean: 20000 }\n        on_us: { dist: exp, mean: 1000000 }\n' > "$WORK/talk.yaml"
refused "a profile's stream with talk spurts but no silences" 1 "talk.yaml:6: 'profiles.0.streams.0.off_us' is missing or out of range" \
	"$BIN" gen -p "$WORK/talk.yaml" -u 1 -d 1 -o "$WORK/x.pcap"
sed -i 's/^    port: 40200$/&\n    size: { dist: const, mean: 95 }/' "$WORK/talk.yaml"
refused "a profile with streams and a stream's fields beside them" 1 "talk.yaml:7: 'profiles.0.streams' beside a stream's own fields" \
	"$BIN" gen -p "$WORK/talk.yaml" -u 1 -d 1 -o "$WORK/x.pcap"
sed -i '/^    size: { dist: const, mean: 95 }$/d' "$WORK/talk.yaml"
sed -i 's/dir: ul/dir: sideways/' "$WORK/talk.yaml"
refused "a stream's direction that is not ul, dl or mixed" 1 "talk.yaml:7: Invalid ENUM value: sideways" \
	"$BIN" gen -p "$WORK/talk.yaml" -u 1 -d 1 -o "$WORK/x.pcap"
refused "inspect without a file" 2 "missing arguments" "$BIN" inspect
refused "features with two files" 2 "too many arguments" "$BIN" features a.pcap b.pcap
refused "an unknown command" 2 "unknown command 'frobnicate'" "$BIN" frobnicate

# The config: a key written as 0 is checked, not replaced by its default.
sed 's/^stats_interval_ms: .*/stats_interval_ms: 0/' conf/gtpclass.yaml > "$WORK/c.yaml"
line=$(grep -n '^stats_interval_ms' "$WORK/c.yaml" | cut -d: -f1)
refused "stats_interval_ms: 0" 1 "c.yaml:$line: 'stats_interval_ms': 0" "$BIN" run -c "$WORK/c.yaml"
sed 's/^  window_ms: .*/  window_ms: 0/' conf/gtpclass.yaml > "$WORK/c.yaml"
line=$(grep -n '^  window_ms' "$WORK/c.yaml" | cut -d: -f1)
refused "window_ms: 0" 1 "c.yaml:$line: 'classifier.window_ms': 0" "$BIN" run -c "$WORK/c.yaml"
sed 's/^  ttl_ms: .*/  ttl_ms: 0/' conf/gtpclass.yaml > "$WORK/c.yaml"
line=$(grep -n '^  ttl_ms' "$WORK/c.yaml" | cut -d: -f1)
refused "ttl_ms: 0" 1 "c.yaml:$line: 'policy.ttl_ms': 0" "$BIN" run -c "$WORK/c.yaml"

# A replayed capture with a frame the sender cannot take: said and non-zero,
# not "0 failed". AF_PACKET on lo needs root.
/usr/bin/python3 - "$WORK/big.pcap" <<'PYEOF'
import struct, sys
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for n in (100, 3000, 100):
        f.write(struct.pack("<IIII", 1, 0, n, n) + bytes(n))
PYEOF
if [ "$(id -u)" = 0 ]; then
	refused "gen --replay of a frame over 2048 bytes" 1 "1 frame over 2048 bytes not sent" \
		"$BIN" gen --replay "$WORK/big.pcap" -i lo --topspeed
else
	echo "SKIP gen --replay of an oversized frame: needs root"
	skip=$((skip + 1))
fi

# Inputs of the offline tools: each error names the file and the line.
"$BIN" gen -p conf/profiles.yaml -u 2 -d 0.5 -s 3 -o "$WORK/g.pcap" 2>/dev/null
printf 'ue,teid,class\nhello world\n' > "$WORK/garbage.csv"
refused "features -l with a garbage labels file" 1 "garbage.csv:2: 'hello world' is not ue,teid,class" \
	"$BIN" features "$WORK/g.pcap" -l "$WORK/garbage.csv" -o /dev/null
printf 'ue,teid,class\n' > "$WORK/nolabels.csv"
refused "features -l with a labels file without labels" 1 "nolabels.csv: no labels in it" \
	"$BIN" features "$WORK/g.pcap" -l "$WORK/nolabels.csv" -o /dev/null
# Rows as wide as the bundled model's feature list.
NF=$(sed -n '/^features:/,/^classes:/p' model/default.yaml | grep -c '^  - ')
ROW=$(seq -s, 1 $NF)
printf '%s\n1,2,x\n' $ROW > "$WORK/inputs.csv"
printf '0\n0\n' > "$WORK/expected.csv"
refused "model check with a short row" 1 "inputs.csv:2: value 3 of $NF is missing or not a number ('x')" \
	"$BIN" model check model/default.yaml "$WORK/inputs.csv" "$WORK/expected.csv"
refused "model check with a missing file" 1 "nothere.csv: No such file or directory" \
	"$BIN" model check model/default.yaml "$WORK/nothere.csv" "$WORK/expected.csv"
printf '%s\n' $ROW > "$WORK/one.csv"
refused "model check with row counts that differ" 1 "one.csv has 1 rows, $WORK/expected.csv has 2" \
	"$BIN" model check model/default.yaml "$WORK/one.csv" "$WORK/expected.csv"

printf 'f,2\nc,2\nlb,0\nn,0,0.5,1,-1\nn,1,0.5,7,-2\nr,0\nl,0\nl,1\n' > "$WORK/badtree.csv"
refused "a forest whose node points past the nodes names its line" 1 "badtree.csv:5: node 1: child 8 out of range" \
	"$BIN" model inspect "$WORK/badtree.csv"
printf 'f,2\nc,2\nlb,0\nn,0,0.5,-1,-2\nr,0\nl,0\nl,5\n' > "$WORK/badleaf.csv"
refused "a leaf with a class beyond the classes names its line" 1 "badleaf.csv:7: leaf 1: class 5" \
	"$BIN" model inspect "$WORK/badleaf.csv"

# check reports every error of a file, each with its line, without an interface.
sed -e 's/^batch_size: .*/batch_size: 0/' -e 's/^  window_ms: .*/  window_ms: 5/' \
    -e 's/^  # next_hop_mac: .*/  next_hop_mac: zz/' -e "s#model: ../model/#model: $PWD/model/#" \
    conf/gtpclass.yaml > "$WORK/three.yaml"
"$BIN" check -c "$WORK/three.yaml" > "$WORK/check.out" 2>&1
rc=$?
check "check -c reports the three errors of one file at once, each with its line (exit $rc)" \
	"[ $rc = 1 ] && grep -q 'three.yaml:[0-9]*: .batch_size.' '$WORK/check.out' && grep -q 'three.yaml:[0-9]*: .classifier.window_ms.' '$WORK/check.out' && grep -q 'three.yaml:[0-9]*: .forward.next_hop_mac.' '$WORK/check.out' && grep -q '3 errors' '$WORK/check.out'"
sed "s#model: ../model/#model: $PWD/model/#" conf/gtpclass.yaml > "$WORK/good.yaml"
"$BIN" check -c "$WORK/good.yaml" > "$WORK/check.out" 2>&1
check "check -c passes the shipped config and names its model (exit $?)" "grep -q \"ok; model: $NF features, 5 classes\" '$WORK/check.out'"
"$BIN" --version > "$WORK/version" 2>&1
check "--version names the release and the commit ($(cat "$WORK/version"))" "[ $? = 0 ] && grep -q '^gtpclass [0-9.]* (' '$WORK/version'"

# What is accepted still works.
"$BIN" run --help > "$WORK/help" 2>&1
check "run --help exits 0 and lists --duration" "[ $? = 0 ] && grep -q -- '--duration SEC' '$WORK/help'"
"$BIN" gen -p conf/profiles.yaml -u 2 -d 0.5 -n 7 -s 18446744073709551615 -o "$WORK/ok.pcap" > /dev/null 2>&1
check "gen with good options (-n 7, the largest seed) writes 7 packets" \
	"[ $? = 0 ] && [ \$(\"$BIN\" inspect '$WORK/ok.pcap' 2>/dev/null | wc -l) = 7 ]"

finish cli

#!/bin/bash
# gtpclass features on generated captures: the windows account for every
# G-PDU of the capture, every window of a labelled UE carries its label, and
# the same capture gives the same rows twice.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT

# Without a PDU Session Container, the UE prefixes tell which address is the UE.
sed -e "s#ue_prefixes: \[\]#ue_prefixes: [10.45.0.0/16]#" -e "s#model: ../model/#model: $PWD/model/#" \
	conf/gtpclass.yaml > "$WORK/prefixes.yaml"
for opts in "" "--outer6 --inner6" "--no-psc"; do
	cfg=""
	[ "$opts" = "--no-psc" ] && cfg="-c $WORK/prefixes.yaml"
	"$BIN" gen -p conf/profiles.yaml -u 25 -d 3 -s 11 $opts -o "$WORK/t.pcap" -l "$WORK/labels.csv" 2>/dev/null
	gpdus=$("$BIN" inspect "$WORK/t.pcap" 2>/dev/null | grep -c " gpdu ")
	"$BIN" features "$WORK/t.pcap" $cfg -m model/starter.yaml -l "$WORK/labels.csv" -o "$WORK/f.csv" 2>/dev/null
	rows=$(($(wc -l < "$WORK/f.csv") - 1))
	sum=$(python3 -c "import csv; print(sum(int(r['pkts']) for r in csv.DictReader(open('$WORK/f.csv'))))")
	check "[$opts] $rows windows hold all $gpdus G-PDUs ($sum)" "[ $rows -gt 50 ] && [ $sum = $gpdus ]"
	unlabelled=$(python3 -c "import csv; print(sum(1 for r in csv.DictReader(open('$WORK/f.csv')) if not r['label']))")
	check "[$opts] every window labelled ($unlabelled without)" "[ $unlabelled = 0 ]"
	"$BIN" features "$WORK/t.pcap" $cfg -m model/starter.yaml -l "$WORK/labels.csv" -o "$WORK/g.csv" 2>/dev/null
	check "[$opts] deterministic" "cmp -s '$WORK/f.csv' '$WORK/g.csv'"
done
"$BIN" features /nonexistent.pcap > "$WORK/err" 2>&1
check "a missing capture is an error, named" "grep -q nonexistent '$WORK/err'"
finish features

#!/bin/bash
# Captures as they come from the field: one cut by its snap length is read
# for what its headers say (every G-PDU, the same windows as the whole
# capture, as tshark decodes them); one whose time runs backwards is read
# in order of the file with the time held, said, and no window starts
# outside the capture's time span.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT
sed "s#model: ../model/#model: $PWD/model/#" conf/gtpclass.yaml > "$WORK/conf.yaml"
"$BIN" gen -p conf/profiles.yaml -u 6 -m urllc:2,embb:2,voice:2 -d 3 -s 4 -o "$WORK/whole.pcap" 2>/dev/null
editcap -s 96 "$WORK/whole.pcap" "$WORK/cut.pcap" 2>/dev/null
whole=$("$BIN" inspect "$WORK/whole.pcap" 2>/dev/null | grep -c ' gpdu ')
cut=$("$BIN" inspect "$WORK/cut.pcap" 2>/dev/null | grep -c ' gpdu ')
shark=$(tshark -r "$WORK/cut.pcap" -Y 'gtp.message == 255' 2>/dev/null | wc -l)
check "a capture cut at 96 bytes: inspect finds every G-PDU ($cut of $whole; tshark $shark)" \
	"[ $whole -gt 1000 ] && [ $cut = $whole ] && [ $shark = $whole ]"
"$BIN" features "$WORK/whole.pcap" -c "$WORK/conf.yaml" -o "$WORK/whole.csv" 2>/dev/null
"$BIN" features "$WORK/cut.pcap" -c "$WORK/conf.yaml" -o "$WORK/cut.csv" 2>/dev/null
check "and features gives the whole capture's windows, value for value ($(($(wc -l < "$WORK/cut.csv") - 1)) windows)" \
	"[ \$(wc -l < '$WORK/whole.csv') -gt 20 ] && cmp -s '$WORK/whole.csv' '$WORK/cut.csv'"

# The second half first: time jumps back once, in the middle of the file.
n=$(capinfos -c -M "$WORK/whole.pcap" | awk '/Number of packets/ {print $NF}')
editcap -r "$WORK/whole.pcap" "$WORK/a.pcap" 1-$((n / 2)) 2>/dev/null
editcap -r "$WORK/whole.pcap" "$WORK/b.pcap" $((n / 2 + 1))-$n 2>/dev/null
mergecap -a -F nsecpcap -w "$WORK/back.pcap" "$WORK/b.pcap" "$WORK/a.pcap"
"$BIN" features "$WORK/back.pcap" -c "$WORK/conf.yaml" -o "$WORK/back.csv" 2> "$WORK/back.err"
check "time running backwards is said ($(grep -o '[0-9]* frames were stamped before' "$WORK/back.err"))" \
	"grep -q 'frames were stamped before' '$WORK/back.err'"
first=$(tshark -r "$WORK/whole.pcap" -T fields -e frame.time_epoch -c 1 2>/dev/null | cut -d. -f1)
bad=$(awk -F, -v lo="$first" 'NR > 1 && ($2 / 1e9 < lo - 1 || $2 / 1e9 > lo + 10) {b++} END {print b + 0}' "$WORK/back.csv")
check "and no window starts outside the capture's span ($bad of $(($(wc -l < "$WORK/back.csv") - 1)))" \
	"[ $bad = 0 ] && [ \$(wc -l < '$WORK/back.csv') -gt 10 ]"
finish captures

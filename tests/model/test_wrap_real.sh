#!/bin/bash
# model/wrap_real.py on real captures (../shared/realtraffic): every IP
# packet of the chosen host becomes one G-PDU, uplink when the host sent it
# and downlink when it received it (the PDU Session Container and the TEID
# say which), the inner packet byte for byte as captured, the timestamps
# kept; --uplink-only keeps the host's own packets only. Skips when the
# captures are not beside the repository.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT
CAPS=../shared/realtraffic
PY=/usr/bin/python3
if [ ! -f "$CAPS/wa_voice.pcap" ]; then
	echo "SKIP wrap_real: no real captures at $CAPS"
	echo "wrap_real: 0 passed, 0 failed, 1 skipped"
	exit 0
fi
$PY model/wrap_real.py model/realtraffic.yaml $CAPS "$WORK/both" --only wa_voice.pcap,sip.pcap > "$WORK/both.log"
$PY model/wrap_real.py model/realtraffic.yaml $CAPS "$WORK/up" --only wa_voice.pcap --uplink-only > "$WORK/up.log"
read -r _ _ host up down < <(awk '$1 == "wa_voice" {print $1, $2, $3, $5, $7}' "$WORK/both.log")
# The outer IP header's addresses (an ICMP error quotes another inside).
tshark -r $CAPS/wa_voice.pcap -Y ip -T fields -e ip.src -e ip.dst -e frame.time_epoch -e ip.id -e ip.len 2>/dev/null |
	awk -F'\t' -v h="$host" '{for (i = 1; i <= 5; i++) {split($i, v, ","); f[i] = v[1]}
		if (f[1] == h || f[2] == h) print f[1] "\t" f[2] "\t" f[3] "\t" f[4] "\t" f[5]}' > "$WORK/orig"
sent=$(awk -F'\t' -v h="$host" '$1 == h' "$WORK/orig" | wc -l)
recv=$(awk -F'\t' -v h="$host" '$1 != h' "$WORK/orig" | wc -l)
check "wa_voice: host $host sent $sent and received $recv packets (tshark); wrapped $up uplink, $down downlink" \
	"[ $up = $sent ] && [ $down = $recv ]"
"$BIN" inspect "$WORK/both/wa_voice.pcap" > "$WORK/inspect" 2>/dev/null
check "gtpclass inspect: every frame a G-PDU, directions from the PSC ($(grep -c ' dir=ul ' "$WORK/inspect") ul, $(grep -c ' dir=dl ' "$WORK/inspect") dl)" \
	"[ \$(grep -c ' gpdu ' '$WORK/inspect') = $((up + down)) ] && [ \$(grep -c ' dir=ul ' '$WORK/inspect') = $up ] && [ \$(grep -c ' dir=dl ' '$WORK/inspect') = $down ]"
# The inner packets, as tshark decodes them inside GTP-U, are the
# capture's own: the same IP identification fields and lengths, in order.
cut -f3- "$WORK/orig" > "$WORK/orig3"
tshark -r "$WORK/both/wa_voice.pcap" -T fields -e frame.time_epoch -e ip.id -e ip.len 2>/dev/null |
	awk -F'\t' '{split($2, id, ","); split($3, len, ","); print $1 "\t" id[2] "\t" len[2]}' > "$WORK/wrapped"
check "inner packets and timestamps as captured ($(wc -l < "$WORK/orig") compared)" \
	"$PY -c \"
import sys
a = [l.split('\t') for l in open('$WORK/orig3').read().split('\n') if l]
b = [l.split('\t') for l in open('$WORK/wrapped').read().split('\n') if l]
sys.exit(not (len(a) == len(b) and all(abs(float(x[0]) - float(y[0])) < 1e-6 and x[1:] == y[1:] for x, y in zip(a, b))))\""
read -r _ _ _ up_only down_only < <(awk '{print $1, $2, $3, $5, $7}' "$WORK/up.log")
check "--uplink-only: the $up_only packets the host sent, none received" "[ $up_only = $up ] && [ $down_only = 0 ]"
check "the labels name the host as the UE with the manifest's class" \
	"grep -qx '$host,teid:0x00000100,voice' '$WORK/both/wa_voice.labels' && grep -q ',voice$' '$WORK/both/sip.labels'"
finish wrap_real

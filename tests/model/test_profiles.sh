#!/bin/bash
# The generator's profiles, checked from the packets they produce (tshark
# reads them, not gtpclass): every profile's capture is well-formed; a voice
# UE's two streams talk in 20 ms frames and fall silent to a silence
# descriptor every 160 ms (DTX); a download's uplink is ACKs, one for every
# two segments down; and --uplink-only leaves a download's ACKs alone.
set -u
BIN=$(realpath "$1")
cd "$(dirname "$0")/../.."
. tests/lib.sh
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3

n_prof=$(grep -c '^  - name:' conf/profiles.yaml)
"$BIN" gen -p conf/profiles.yaml -u $n_prof -d 4 -s 7 -o "$WORK/all.pcap" -l "$WORK/all.labels" 2>/dev/null
total=$(tshark -r "$WORK/all.pcap" 2>/dev/null | wc -l)
bad_pkts=$(tshark -r "$WORK/all.pcap" -Y '_ws.malformed || _ws.expert.severity == error' 2>/dev/null | wc -l)
check "all $n_prof profiles: $total packets, $bad_pkts malformed or in error (tshark)" \
	"[ $total -gt 10000 ] && [ $bad_pkts = 0 ]"
classes=$(tail -n +2 "$WORK/all.labels" | cut -d, -f3 | sort -u | tr '\n' ' ')
check "their UEs are labelled with the five classes ($classes)" "[ '$classes' = 'embb flood mmtc urllc voice ' ]"

# time, PDU type (0 down, 1 up), inner IP length: one line per G-PDU
fields() {
	tshark -r "$1" -T fields -e frame.time_epoch -e gtp.ext_hdr.pdu_ses_con.pdu_type -e ip.len \
		-E separator=' ' 2>/dev/null | awk '{ split($3, l, ","); print $1, $2, l[2] }'
}

"$BIN" gen -p conf/profiles.yaml -u 1 -m voice:1 -d 60 -s 3 -o "$WORK/voice.pcap" 2>/dev/null
fields "$WORK/voice.pcap" > "$WORK/voice.txt"
read -r ok_dtx why < <($PY - "$WORK/voice.txt" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
res = []
for d in ("1", "0"):
    t = [(float(r[0]), int(r[2])) for r in rows if r[1] == d]
    gaps = [(b[0] - a[0], a[1], b[1]) for a, b in zip(t, t[1:])]
    speech = sum(1 for g, la, lb in gaps if 0.018 <= g <= 0.022 and la > 60 and lb > 60)
    sid = sum(1 for g, la, lb in gaps if 0.155 <= g <= 0.165 and la == 47 and lb == 47)
    frames = sum(1 for _, l in t if l > 60)
    active = frames * 0.020 / 60
    res.append((d, len(t), speech, sid, active))
ok = all(s > 200 and sid > 50 and 0.25 < a < 0.65 for _, _, s, sid, a in res)
print(int(ok), ";".join(f"{'up' if d == '1' else 'down'}: {n} packets, {s} 20-ms gaps between frames, "
                         f"{sid} 160-ms gaps between 47-byte SIDs, talking {a:.0%} of the time"
                         for d, n, s, sid, a in res).replace(" ", "_"))
PY
)
check "voice, 60 s: two 20 ms streams with DTX (${why//_/ })" "[ '$ok_dtx' = 1 ]"

"$BIN" gen -p conf/profiles.yaml -u 1 -m embb:1 -d 10 -s 3 -o "$WORK/dl.pcap" 2>/dev/null
fields "$WORK/dl.pcap" > "$WORK/dl.txt"
read -r up up52 down down_big < <(awk '$2 == 1 { u++; if ($3 == 52) u52++ } $2 == 0 { d++; if ($3 >= 1200) db++ }
	END { print u+0, u52+0, d+0, db+0 }' "$WORK/dl.txt")
# One ACK for every two segments, less those still on their way at the end.
check "download, 10 s: $down segments down ($down_big of 1200 bytes or more), $up up of which $up52 are 52-byte ACKs (one for every two segments: $((down / 2)))" \
	"[ $down -gt 1000 ] && [ $down_big = $down ] && [ $up = $up52 ] && [ $((up * 2)) -ge $((down - down / 100)) ] && [ $((up * 2)) -le $down ]"

"$BIN" gen -p conf/profiles.yaml -u 1 -m embb:1 -d 10 -s 3 --uplink-only -o "$WORK/ul.pcap" 2>/dev/null
fields "$WORK/ul.pcap" > "$WORK/ul.txt"
read -r ul_n ul_down ul_52 < <(awk '{ n++ } $2 == 0 { d++ } $3 == 52 { a++ } END { print n+0, d+0, a+0 }' "$WORK/ul.txt")
check "download with --uplink-only: the same $up ACKs and nothing else ($ul_n packets, $ul_down down, $ul_52 ACKs)" \
	"[ $ul_n = $up ] && [ $ul_down = 0 ] && [ $ul_52 = $up ]"
finish profiles

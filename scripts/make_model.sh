#!/bin/bash
# make model: traffic -> features -> training -> model/default.{csv,yaml},
# reproducibly (fixed seeds), and the hold-out report into docs/MODEL.md.
#
# Training data: every profile of conf/profiles.yaml, seen both ways (a
# mirror of N3, the bump in the wire) and uplink only (N3 ingress), plus the
# real captures that model/realtraffic.yaml puts in training (split: train),
# both ways and uplink only, counted twice so that a few hundred real
# windows weigh against thousands of generated ones. The others (split:
# test) stay out: model/eval_real.py scores the model on them.
set -eu
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3
PER=6
MIX=$(sed -n 's/^  - name: \([a-z0-9_]*\).*/\1:'$PER'/p' conf/profiles.yaml | paste -sd,)
UES=$(( $(grep -c '^  - name:' conf/profiles.yaml) * PER ))
FEATURES=pkts,len_mean,len_var,iat_mean_ms,iat_var_ms2,iat_min_us,iat_max_us,ul_pkts,dl_pkts,ul_len_mean,dl_len_mean,ul_bytes_pm,small_pm,large_pm,burst_pm,prev_pkts
CSVS=()
for view in both:42 uplink:43:--uplink-only; do
	IFS=: read -r name seed flag <<< "$view"
	echo "model: generating 60 s of traffic of $UES UEs ($PER of each profile), $name, seed $seed"
	# The ground truth first: features reads it before the capture streams in.
	"$BIN" gen -p conf/profiles.yaml -u $UES -m "$MIX" -d 60 -s $seed $flag -n 1 -o /dev/null \
		-l "$WORK/$name.labels" 2>/dev/null
	"$BIN" gen -p conf/profiles.yaml -u $UES -m "$MIX" -d 60 -s $seed $flag -o - 2>/dev/null |
		"$BIN" features - -l "$WORK/$name.labels" -o "$WORK/$name.csv"
	CSVS+=("$WORK/$name.csv")
done
CAPS=../shared/realtraffic
if [ -d $CAPS ]; then
	TRAIN=$($PY -c 'import yaml; print(",".join(e["file"] for e in yaml.safe_load(open("model/realtraffic.yaml"))["captures"] if e.get("split") == "train"))')
	echo "model: real captures in training: $TRAIN"
	for view in both uplink:--uplink-only; do
		IFS=: read -r name flag <<< "$view"
		$PY model/wrap_real.py model/realtraffic.yaml $CAPS "$WORK/real-$name" --only "$TRAIN" $flag > /dev/null 2>&1
		for p in "$WORK/real-$name"/*.pcap; do
			"$BIN" features "$p" -l "${p%.pcap}.labels" -o "${p%.pcap}.csv" 2>/dev/null
			CSVS+=("${p%.pcap}.csv" "${p%.pcap}.csv")
		done
	done
else
	echo "model: no real captures at $CAPS: training on generated traffic only" >&2
fi
$PY model/train.py "${CSVS[@]}" -o model/default --classes urllc,embb,voice,mmtc,flood \
	--features $FEATURES --trees 10 --seed 1 | tee "$WORK/report.txt"
python3 - "$WORK/report.txt" <<'PY'
import re, sys
report = open(sys.argv[1]).read()
doc = open("docs/MODEL.md").read()
start = doc.index("<!-- report -->") + len("<!-- report -->")
end = doc.index("<!-- /report -->")
doc = doc[:start] + "\n```\n" + report.strip() + "\n```\n" + doc[end:]
open("docs/MODEL.md", "w").write(doc)
PY
echo "model: wrote model/default.csv, model/default.yaml and the report in docs/MODEL.md"

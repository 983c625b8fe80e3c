#!/bin/bash
# make model: traffic -> features -> training -> model/default.{csv,yaml},
# reproducibly (fixed seeds), and the hold-out report into docs/MODEL.md.
#
# Training data (model/training_data.py): every profile of
# conf/profiles.yaml, seen both ways (a mirror of N3, the bump in the wire)
# and uplink only (N3 ingress), plus the real captures that
# model/realtraffic.yaml puts in training (split: train). The others
# (split: test) stay out: model/eval_real.py scores the model on them.
set -eu
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PY=/usr/bin/python3
# The features are train.py's defaults: the bundled model's.
mapfile -t CSVS < <($PY model/training_data.py "$BIN" "$WORK")
[ ${#CSVS[@]} -ge 2 ] || { echo "model: no training data" >&2; exit 1; }
$PY model/train.py "${CSVS[@]}" -o model/default --classes urllc,embb,voice,mmtc,flood \
	--trees 10 --seed 1 | tee "$WORK/report.txt"
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

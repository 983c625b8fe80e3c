#!/bin/bash
# make model: traffic -> features -> training -> model/default.{csv,yaml},
# reproducibly (fixed seeds), and the hold-out report into docs/MODEL.md.
set -eu
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
MIX=urllc:20,embb:20,voice:20,mmtc:20,flood:20
echo "model: generating 30 s of traffic of 100 UEs ($MIX), seed 42"
# The ground truth first: features reads it before the capture streams in.
"$BIN" gen -p conf/profiles.yaml -u 100 -m $MIX -d 30 -s 42 -n 1 -o /dev/null -l "$WORK/labels.csv" 2>/dev/null
"$BIN" gen -p conf/profiles.yaml -u 100 -m $MIX -d 30 -s 42 -o - |
	"$BIN" features - -l "$WORK/labels.csv" -o "$WORK/features.csv"
/usr/bin/python3 model/train.py "$WORK/features.csv" -o model/default --classes urllc,embb,voice,mmtc,flood \
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

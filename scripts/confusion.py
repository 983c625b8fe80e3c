#!/usr/bin/python3
"""Per-UE confusion matrix: the class gtpclass gave each UE in its last
window (from a window log) against the generator's ground truth.
Usage: confusion.py WINDOWS.csv LABELS.csv"""
import csv
import sys
from collections import Counter, defaultdict

last = {}
windows = Counter()
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        last[row["ue"]] = row["class"]
        windows[row["class"]] += 1
truth = {}
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        truth[row["ue"]] = row["class"]

pred_classes = sorted(set(last.values()))
true_classes = sorted(set(truth.values()), key=lambda c: list(truth.values()).index(c))
m = defaultdict(Counter)
for ue, t in truth.items():
    m[t][last.get(ue, "(none)")] += 1
cols = pred_classes + (["(none)"] if any("(none)" in m[t] for t in m) else [])
print("\nper-UE class in the last window (rows: the generator's class, columns: gtpclass's)")
print(f"{'':>10} " + " ".join(f"{c:>8}" for c in cols))
for t in true_classes:
    print(f"{t:>10} " + " ".join(f"{m[t][c]:>8}" for c in cols))
same = sum(m[t][t] for t in true_classes)
print(f"\n{same} of {len(truth)} UEs classified as their class; windows per class: "
      + ", ".join(f"{c} {n}" for c, n in sorted(windows.items())))

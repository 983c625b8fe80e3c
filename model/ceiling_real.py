#!/usr/bin/python3
"""How far any forest gets on the held-out real captures from gtpclass's
windows: a large one (100 trees, every feature of the vocabulary, classes
balanced), trained on the training captures alone and with generated
traffic, scored on the held-out ones (both directions and uplink only).
Not a model to ship (kernel mode loads 16 features): it says whether the
bundled model's score is limited by its size or by what the windows carry.

Usage: ceiling_real.py GTPCLASS [--captures ../shared/realtraffic]

The generated traffic and the real training captures are the bundled
model's (model/training_data.py)."""
import argparse
import csv
import os
import sys
import tempfile

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from eval_real import HERE
from training_data import generated, real

NOT_FEATURES = ("ue", "window_start_ns", "class", "votes", "label")


def load(paths):
    X, y = [], []
    for p in paths:
        with open(p) as f:
            for r in csv.DictReader(f):
                if r.get("label"):
                    X.append([float(v) for k, v in r.items() if k not in NOT_FEATURES])
                    y.append(r["label"])
    return np.array(X), np.array(y)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gtpclass")
    ap.add_argument("--captures", default=os.path.join(HERE, "../../shared/realtraffic"))
    a = ap.parse_args()
    if not os.path.isdir(a.captures):
        sys.exit(f"ceiling_real: no captures at {a.captures}")
    with tempfile.TemporaryDirectory() as work:
        train, test = real(a.gtpclass, work, a.captures, "train"), real(a.gtpclass, work, a.captures, "test")
        Xr, yr = load(train[False] + train[True])
        Xg, yg = load(generated(a.gtpclass, work))
        sets = {"real training captures": (Xr, yr),
                "real training captures and generated traffic": (np.vstack([Xr, Xg]), np.concatenate([yr, yg]))}
        for name, (X, y) in sets.items():
            rf = RandomForestClassifier(n_estimators=100, random_state=1, class_weight="balanced").fit(X, y)
            for up in (False, True):
                Xt, yt = load(test[up])
                print(f"{name}, held-out captures {'uplink only' if up else 'both directions'}: "
                      f"accuracy {(rf.predict(Xt) == yt).mean():.2f} ({len(yt)} windows)")


main()

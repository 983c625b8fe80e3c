#!/usr/bin/python3
"""How far any forest gets on the held-out real captures from gtpclass's
windows: a large one (100 trees, every feature of the vocabulary, classes
balanced), trained on the training captures alone and with generated
traffic, scored on the held-out ones (both directions and uplink only).
Not a model to ship (kernel mode loads 16 features): it says whether the
bundled model's score is limited by its size or by what the windows carry.

Usage: ceiling_real.py GTPCLASS [--manifest model/realtraffic.yaml]
                       [--captures ../shared/realtraffic]

The generated traffic is scripts/make_model.sh's: six UEs of every profile
of conf/profiles.yaml for 60 s, both ways (seed 42) and uplink only (43)."""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import yaml
from sklearn.ensemble import RandomForestClassifier

from eval_real import HERE, feature_csvs

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


def generated(gtpclass, work):
    """make_model.sh's generated traffic, as features CSVs."""
    profiles = os.path.join(HERE, "../conf/profiles.yaml")
    names = re.findall(r"^  - name: ([a-z0-9_]+)", open(profiles).read(), re.M)
    mix = ",".join(f"{n}:6" for n in names)
    out = []
    for seed, flag in ((42, []), (43, ["--uplink-only"])):
        gen = [gtpclass, "gen", "-p", profiles, "-u", str(6 * len(names)), "-m", mix, "-d", "60", "-s", str(seed)] + flag
        labels, path = os.path.join(work, f"g{seed}.labels"), os.path.join(work, f"g{seed}.csv")
        subprocess.run(gen + ["-n", "1", "-o", "/dev/null", "-l", labels], check=True, stderr=subprocess.DEVNULL)
        g = subprocess.Popen(gen + ["-o", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        subprocess.run([gtpclass, "features", "-", "-l", labels, "-o", path], stdin=g.stdout, check=True,
                       stderr=subprocess.DEVNULL)
        g.wait()
        out.append(path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gtpclass")
    ap.add_argument("--manifest", default=os.path.join(HERE, "realtraffic.yaml"))
    ap.add_argument("--captures", default=os.path.join(HERE, "../../shared/realtraffic"))
    a = ap.parse_args()
    if not os.path.isdir(a.captures):
        sys.exit(f"ceiling_real: no captures at {a.captures}")
    entries = yaml.safe_load(open(a.manifest))["captures"]
    model = os.path.join(HERE, "default.yaml")
    with tempfile.TemporaryDirectory() as work:
        csvs = {}
        for split in ("train", "test"):
            chosen = [e for e in entries if e.get("split", "test") == split]
            for up in (False, True):
                d = os.path.join(work, f"{split}-{int(up)}")
                csvs[split, up] = [c for _, c in feature_csvs(a.gtpclass, model, a.manifest, a.captures, chosen, up, d)]
        Xr, yr = load(csvs["train", False] + csvs["train", True])
        Xg, yg = load(generated(a.gtpclass, work))
        sets = {"real training captures": (Xr, yr),
                "real training captures and generated traffic": (np.vstack([Xr, Xg]), np.concatenate([yr, yg]))}
        for name, (X, y) in sets.items():
            rf = RandomForestClassifier(n_estimators=100, random_state=1, class_weight="balanced").fit(X, y)
            for up in (False, True):
                Xt, yt = load(csvs["test", up])
                print(f"{name}, held-out captures {'uplink only' if up else 'both directions'}: "
                      f"accuracy {(rf.predict(Xt) == yt).mean():.2f} ({len(yt)} windows)")


main()

#!/usr/bin/python3
"""The bundled model's training data, as `gtpclass features` CSVs: every
profile of conf/profiles.yaml (six UEs each, 60 s) seen both ways (seed 42)
and uplink only (seed 43), and the real captures that model/realtraffic.yaml
puts in training (split: train), both ways and uplink only, each listed
twice so that a few hundred real windows weigh against thousands of
generated ones. Used by scripts/make_model.sh and model/ceiling_real.py,
so both train on the same rows.

Usage: training_data.py GTPCLASS WORK_DIR [--captures ../shared/realtraffic]
Prints the CSVs for model/train.py, one per line."""
import argparse
import os
import re
import subprocess
import sys

import yaml

from eval_real import HERE, feature_csvs

PER_PROFILE = 6
VIEWS = (("both", 42, []), ("uplink", 43, ["--uplink-only"]))


def generated(gtpclass, work):
    """The generated traffic's CSVs, both views."""
    profiles = os.path.join(HERE, "../conf/profiles.yaml")
    names = re.findall(r"^  - name: ([a-z0-9_]+)", open(profiles).read(), re.M)
    mix = ",".join(f"{n}:{PER_PROFILE}" for n in names)
    out = []
    for view, seed, flag in VIEWS:
        print(f"training data: {PER_PROFILE * len(names)} UEs ({PER_PROFILE} of each profile), 60 s, {view}, "
              f"seed {seed}", file=sys.stderr)
        gen = [gtpclass, "gen", "-p", profiles, "-u", str(PER_PROFILE * len(names)), "-m", mix, "-d", "60",
               "-s", str(seed)] + flag
        labels, path = os.path.join(work, f"{view}.labels"), os.path.join(work, f"{view}.csv")
        # The ground truth first: features reads it before the capture streams in.
        subprocess.run(gen + ["-n", "1", "-o", "/dev/null", "-l", labels], check=True, stderr=subprocess.DEVNULL)
        g = subprocess.Popen(gen + ["-o", "-"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        subprocess.run([gtpclass, "features", "-", "-l", labels, "-o", path], stdin=g.stdout, check=True,
                       stderr=subprocess.DEVNULL)
        g.stdout.close()
        if g.wait():
            sys.exit(f"training data: gen failed ({view})")
        out.append(path)
    return out


def real(gtpclass, work, captures, split="train"):
    """The real captures of a split, both views: {uplink_only: [CSV, ...]}."""
    manifest = os.path.join(HERE, "realtraffic.yaml")
    entries = [e for e in yaml.safe_load(open(manifest))["captures"] if e.get("split", "test") == split]
    return {up: sorted(c for _, c in feature_csvs(gtpclass, None, manifest, captures, entries, up,
                                                  os.path.join(work, f"real-{split}")))
            for up in (False, True)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gtpclass")
    ap.add_argument("work")
    ap.add_argument("--captures", default=os.path.join(HERE, "../../shared/realtraffic"))
    a = ap.parse_args()
    csvs = generated(a.gtpclass, a.work)
    if os.path.isdir(a.captures):
        for view in real(a.gtpclass, a.work, a.captures).values():
            csvs += [c for c in view for _ in (0, 1)]
    else:
        print(f"training data: no real captures at {a.captures}: generated traffic only", file=sys.stderr)
    print("\n".join(csvs))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Scores a model on real application captures wrapped as UEs.

Usage: eval_real.py GTPCLASS MODEL [--manifest model/realtraffic.yaml]
                    [--captures ../shared/realtraffic] [--config conf/gtpclass.yaml]
                    [--split test|train|all]

Only the manifest's held-out captures (split: test) by default: the bundled
model was trained on the others.

Wraps every capture of the manifest (model/wrap_real.py) twice, with both
directions and uplink only (what N3 ingress carries), runs `gtpclass
features -m MODEL` on each, and prints, per case, the windows' accuracy,
each class's precision and recall, each capture's share of right windows,
and the UEs the config's policy (the shipped one by default) would drop: a
class whose action is drop, with at least policy.min_confidence of the
trees' votes and policy.drop_min_packets packets, in policy.min_windows
windows in a row, as the engine decides (src/engine/engine.c)."""
import argparse
import collections
import csv
import math
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def feature_csvs(gtpclass, model, manifest, captures, entries, uplink_only, work):
    """Wraps the entries' captures and runs `gtpclass features` on each
    (with model, or without: no class column): [(capture name, its CSV)]."""
    out = os.path.join(work, "up" if uplink_only else "both")
    cmd = [sys.executable, os.path.join(HERE, "wrap_real.py"), manifest, captures, out,
           "--only", ",".join(e["file"] for e in entries)]
    if uplink_only:
        cmd.append("--uplink-only")
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    csvs = []
    for e in entries:
        name = e["file"].rsplit(".", 1)[0]
        csv_path = os.path.join(out, name + ".csv")
        subprocess.run([gtpclass, "features", os.path.join(out, name + ".pcap")] + (["-m", model] if model else [])
                       + ["-l", os.path.join(out, name + ".labels"), "-o", csv_path], check=True,
                       stderr=subprocess.DEVNULL)
        csvs.append((name, csv_path))
    return csvs


def run_case(gtpclass, model, manifest, captures, entries, uplink_only, work):
    rows = []
    for name, csv_path in feature_csvs(gtpclass, model, manifest, captures, entries, uplink_only, work):
        with open(csv_path) as f:
            for r in csv.DictReader(f):
                rows.append((name, r["label"], r["class"], int(r["votes"]), int(r["pkts"])))
    return rows


def drops(rows, policy):
    """Captures whose UE the policy drops: the engine's streak rule."""
    streak, last, hit = collections.Counter(), {}, set()
    for name, _, cls, votes, pkts in rows:
        if votes < policy["min_votes"] or (cls in policy["drop"] and pkts < policy["drop_min_packets"]):
            streak[name] = 0
        elif last.get(name) == cls:
            streak[name] += 1
        else:
            streak[name] = 1
        last[name] = cls
        if cls in policy["drop"] and streak[name] >= policy["min_windows"]:
            hit.add(name)
    return hit


def load_policy(config, model):
    """Drop classes, votes and windows a drop needs, as engine_setup.c
    derives them from the config and the model's number of trees."""
    pol = yaml.safe_load(open(config)).get("policy", {})
    manifest = yaml.safe_load(open(model))
    with open(os.path.join(os.path.dirname(model), manifest["csv"])) as f:
        trees = sum(1 for line in f if line.startswith("r,"))
    conf = pol.get("min_confidence", 0.6)
    return {"drop": {a["class"] for a in pol.get("actions", []) if a.get("action") == "drop"},
            "min_votes": math.ceil(conf * trees - 1e-9), "min_windows": pol.get("min_windows", 2),
            "drop_min_packets": pol.get("drop_min_packets", 20),
            "what": f"min_confidence {conf} ({math.ceil(conf * trees - 1e-9)} of {trees} votes), "
                    f"min_windows {pol.get('min_windows', 2)}, drop_min_packets {pol.get('drop_min_packets', 20)}"}


def report(title, rows, classes, truth_of, policy):
    n = len(rows)
    right = sum(1 for _, lab, cls, *_ in rows if lab == cls)
    print(f"### {title}\n")
    print(f"{n} windows from {len({r[0] for r in rows})} captures; accuracy **{right / n:.2f}** "
          f"(always answering the most common label: "
          f"{max(collections.Counter(lab for _, lab, *_ in rows).values()) / n:.2f})\n")
    print("| class | windows | precision | recall |")
    print("|---|---|---|---|")
    for c in classes:
        tp = sum(1 for _, lab, cls, *_ in rows if lab == c and cls == c)
        said = sum(1 for _, _, cls, *_ in rows if cls == c)
        real = sum(1 for _, lab, *_ in rows if lab == c)
        prec = f"{tp / said:.2f}" if said else "-"
        rec = f"{tp / real:.2f}" if real else "-"
        print(f"| {c} | {real} | {prec} | {rec} |")
    print()
    per = collections.defaultdict(lambda: [0, 0, collections.Counter()])
    for name, lab, cls, *_ in rows:
        per[name][0] += lab == cls
        per[name][1] += 1
        per[name][2][cls] += 1
    print("| capture | label | windows | right | mostly said |")
    print("|---|---|---|---|---|")
    for name in sorted(per, key=lambda k: (truth_of[k], k)):
        ok, tot, said = per[name]
        print(f"| {name} | {truth_of[name]} | {tot} | {ok / tot:.2f} | {said.most_common(1)[0][0]} |")
    hit = drops(rows, policy)
    wrong = sorted(h for h in hit if truth_of[h] not in policy["drop"])
    print(f"\nUEs the policy drops ({', '.join(sorted(policy['drop']))}; {policy['what']}): {len(hit)}; "
          f"of them not a flood or scan: {len(wrong)}{' (' + ', '.join(wrong) + ')' if wrong else ''}\n")
    return right / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gtpclass")
    ap.add_argument("model")
    ap.add_argument("--manifest", default=os.path.join(HERE, "realtraffic.yaml"))
    ap.add_argument("--captures", default=os.path.join(HERE, "../../shared/realtraffic"))
    ap.add_argument("--config", default=os.path.join(HERE, "../conf/gtpclass.yaml"),
                    help="the policy to apply (its actions, min_confidence, min_windows)")
    ap.add_argument("--split", default="test", choices=("test", "train", "all"))
    a = ap.parse_args()
    if not os.path.isdir(a.captures):
        print(f"eval_real: no captures at {a.captures}", file=sys.stderr)
        sys.exit(77)
    manifest = [e for e in yaml.safe_load(open(a.manifest))["captures"]
                if a.split == "all" or e.get("split", "test") == a.split]
    truth_of = {e["file"].rsplit(".", 1)[0]: e["class"] for e in manifest}
    classes = list(dict.fromkeys(e["class"] for e in manifest))
    with tempfile.TemporaryDirectory() as work:
        for up, title in ((False, "Both directions (a mirror of N3, or the bump in the wire)"),
                          (True, "Uplink only (N3 ingress)")):
            rows = run_case(a.gtpclass, a.model, a.manifest, a.captures, manifest, up, work)
            report(title, rows, classes, truth_of, load_policy(a.config, a.model))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Trains a random forest on `gtpclass features` CSVs and exports it in
emlearn's CSV format with a gtpclass manifest.

Runs on Debian's python3-sklearn (nothing from another registry).

Exactness. gtpclass evaluates go-left-iff x < t in float32 with a hard
majority vote; scikit-learn goes left iff x <= t (x as float32, t a float64)
and averages the trees' leaf probabilities. The export makes the two agree
on every input:
  * thresholds: for float32 x, x <= t  <=>  x <= t32  <=>  x < next_up(t32),
    where t32 is the largest float32 not above t; that is what is written;
  * votes: trees are grown until their leaves are pure (after removing
    training rows whose features repeat with another label), so each tree's
    probability vector is one-hot and averaging is majority voting; ties go
    to the lowest class index in both.
The script checks both properties and refuses to write a model that breaks
them."""
import argparse
import csv
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix
from sklearn.model_selection import GroupShuffleSplit

DEFAULT_FEATURES = ["pkts", "len_mean", "len_var", "iat_mean_ms", "iat_var_ms2", "iat_min_us", "iat_max_us",
                    "ul_pkts", "dl_pkts", "ul_len_mean", "dl_len_mean", "ul_bytes_pm", "small_pm", "large_pm",
                    "burst_pm", "prev_pkts"]


def load(paths, features):
    X, labels, groups = [], [], []
    for path in paths:
        with open(path) as f:
            for row in csv.DictReader(f):
                if not row.get("label"):
                    continue
                X.append([float(row[c]) for c in features])
                labels.append(row["label"])
                groups.append(row["ue"])
    return np.array(X, dtype=np.float32), labels, np.array(groups)


def dedupe(X, y):
    """Keeps, for each distinct feature vector, the rows of its most common
    label: identical inputs with different labels would leave impure leaves."""
    by_row = {}
    for i, row in enumerate(map(bytes, X)):
        by_row.setdefault(row, []).append(i)
    keep = []
    for idx in by_row.values():
        labs, counts = np.unique(y[idx], return_counts=True)
        best = labs[np.argmax(counts)]
        keep += [i for i in idx if y[i] == best]
    keep.sort()
    return X[keep], y[keep], len(X) - len(keep)


def threshold_f32(t):
    """The float32 t' with x < t' <=> x <= t for every float32 x."""
    t32 = np.float32(t)
    if float(t32) > t:
        t32 = np.nextafter(t32, np.float32(-np.inf))
    return np.nextafter(t32, np.float32(np.inf))


def export_tree(tree, classes_index, nodes):
    """Appends the tree's decision nodes in pre-order; returns its root
    (a node index, or a leaf encoding for a one-leaf tree)."""
    t = tree.tree_

    def walk(i):
        if t.children_left[i] == -1:
            value = t.value[i][0]
            if np.count_nonzero(value) != 1:
                raise ValueError("impure leaf: soft and hard voting could differ")
            return -int(classes_index[int(np.argmax(value))]) - 1
        me = len(nodes)
        nodes.append(None)
        left = walk(t.children_left[i])
        right = walk(t.children_right[i])
        nodes[me] = (int(t.feature[i]), threshold_f32(t.threshold[i]), left, right)
        return me

    return walk(0)


def write_model(rf, class_names, features, out, window_ms, key):
    classes_index = [int(c) for c in rf.classes_]  # rf.classes_ are our indices
    nodes, roots = [], []
    for est in rf.estimators_:
        roots.append(export_tree(est, classes_index, nodes))
    depth = max(est.get_depth() for est in rf.estimators_)
    if depth > 16:
        # Kernel mode walks at most GTPC_KMAX_DEPTH levels (include/gtpc/kmodel.h):
        # deeper costs the verifier more than the program has left.
        raise ValueError(f"a tree is {depth} deep; kernel mode loads at most 16 (fewer or cleaner rows)")
    with open(out + ".csv", "w", newline="") as f:
        f.write(f"f,{len(features)}\r\nc,{len(class_names)}\r\nlb,0\r\n")
        for c in range(len(class_names)):
            f.write(f"l,{c}\r\n")
        for r in roots:
            f.write(f"r,{r}\r\n")
        for i, (feat, thr, left, right) in enumerate(nodes):
            rel = lambda c: c - i if c >= 0 else c
            f.write(f"n,{feat},{float(thr):.9g},{rel(left)},{rel(right)}\r\n")
    base = out.rsplit("/", 1)[-1]
    with open(out + ".yaml", "w") as f:
        f.write("# trained by model/train.py\nformat: emlearn-csv\n")
        f.write(f"csv: {base}.csv\nfeatures:\n")
        f.writelines(f"  - {c}\n" for c in features)
        f.write("classes:\n")
        f.writelines(f'  - "{c}"\n' for c in class_names)
        f.write(f"window_ms: {window_ms}\nkey: {key}\n")
    return len(nodes), depth


def on_threshold_rows(rf, X):
    """For split nodes of the forest, a row of X that reaches the node, with
    the node's feature moved onto, just below and just above its threshold:
    where x < t and x <= t part ways."""
    rows = []
    for est in rf.estimators_[:3]:
        t = est.tree_
        reach = est.decision_path(X).tocsc()
        for i in np.where(t.children_left != -1)[0][:60]:
            hits = reach[:, i].nonzero()[0]
            if not len(hits):
                continue
            t32 = np.float32(t.threshold[i])
            for v in (t32, np.nextafter(t32, np.float32(-np.inf)), np.nextafter(t32, np.float32(np.inf))):
                r = X[hits[0]].copy()
                r[t.feature[i]] = v
                rows.append(r)
    return np.array(rows, dtype=np.float32)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", nargs="+", help="feature CSVs from `gtpclass features --labels`")
    ap.add_argument("-o", "--output", required=True, help="NAME: writes NAME.csv and NAME.yaml")
    ap.add_argument("--features", default=",".join(DEFAULT_FEATURES))
    ap.add_argument("--classes", help="class order (default: order of appearance)")
    ap.add_argument("--trees", type=int, default=10)
    ap.add_argument("--max-depth", type=int, default=None)
    ap.add_argument("--test-size", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--window-ms", type=int, default=500)
    ap.add_argument("--key", default="ue")
    ap.add_argument("--dump-test", help="PREFIX: write PREFIX_inputs.csv and PREFIX_sklearn_pred.csv "
                    "(hold-out rows and rows on thresholds) for `gtpclass model check`")
    a = ap.parse_args()

    features = a.features.split(",")
    X, labels, groups = load(a.csv, features)
    if not len(X):
        sys.exit("train.py: no labelled rows in " + ", ".join(a.csv))
    class_names = a.classes.split(",") if a.classes else list(dict.fromkeys(labels))
    y = np.array([class_names.index(l) for l in labels])
    split = GroupShuffleSplit(n_splits=1, test_size=a.test_size, random_state=a.seed)
    train, test = next(split.split(X, y, groups))
    assert not set(groups[train]) & set(groups[test]), "a UE on both sides of the split"
    Xtr, ytr, dropped = dedupe(X[train], y[train])
    rf = RandomForestClassifier(n_estimators=a.trees, max_depth=a.max_depth, random_state=a.seed)
    rf.fit(Xtr, ytr)

    pred = rf.predict(X[test])
    present = sorted(set(y[test]) | set(pred))
    print(f"rows: {len(X)} ({len(set(groups))} UEs); train {len(train)} ({dropped} conflicting dropped), "
          f"hold-out {len(test)} ({len(set(groups[test]))} UEs, none in training)")
    print(f"hold-out accuracy: {accuracy_score(y[test], pred):.4f}")
    print(classification_report(y[test], pred, labels=present,
                                target_names=[class_names[i] for i in present], digits=4, zero_division=0))
    print("confusion matrix (rows: true, columns: predicted):")
    print("          " + " ".join(f"{class_names[i]:>8}" for i in present))
    for i, row in zip(present, confusion_matrix(y[test], pred, labels=present)):
        print(f"{class_names[i]:>9} " + " ".join(f"{v:>8}" for v in row))

    n_nodes, depth = write_model(rf, class_names, features, a.output, a.window_ms, a.key)
    print(f"wrote {a.output}.csv and {a.output}.yaml: {a.trees} trees, {n_nodes} nodes, depth {depth}")
    if a.dump_test:
        rows = np.vstack([X[test], on_threshold_rows(rf, X[test])])
        np.savetxt(a.dump_test + "_inputs.csv", rows, delimiter=",", fmt="%.9g")
        np.savetxt(a.dump_test + "_sklearn_pred.csv", rf.predict(rows), fmt="%d")
        print(f"wrote {len(rows)} check rows to {a.dump_test}_inputs.csv")


if __name__ == "__main__":
    main()

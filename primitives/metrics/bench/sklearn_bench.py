#!/usr/bin/env python3
"""numpy + scikit-learn side of `bash scripts/bench metrics`: the same cases as
`examples/bench_files.rs`, end to end, with the same repeat policy.

Usage: sklearn_bench.py DATA_DIR [REPEAT]

Each timed run parses both CSV files with numpy.loadtxt (numpy's C parser; pandas is not installed
here, and numpy alone is the common denominator), aligns predictions to labels by id (a no-op check
when both files list the same ids in the same order, otherwise an argsort of each side), and calls
the scikit-learn metric. Ids and class labels are read as int64, the fastest way for numpy to read
them (merit-metrics treats them as strings). Python does not check ids for duplicates; merit-metrics
does, so the comparison is, if anything, in numpy's favour.

One untimed warm-up, then REPEAT (default 11) timed runs; median and minimum. Output: one
tab-separated line per case, `case metric rows score median_ms min_ms parse_median_ms`.
"""

import math
import os
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    roc_auc_score,
)

CASES = [
    ("rmse", "rmse", "regression_labels.csv", "regression_predictions.csv"),
    ("mae", "mae", "regression_labels.csv", "regression_predictions.csv"),
    ("rmse_shuffled", "rmse", "regression_labels.csv", "shuffled_predictions.csv"),
    ("accuracy", "accuracy", "classes_labels.csv", "classes_predictions.csv"),
    ("macro_f1", "macro_f1", "classes_labels.csv", "classes_predictions.csv"),
    ("log_loss", "log_loss", "binary_labels.csv", "binary_predictions.csv"),
    ("roc_auc", "roc_auc", "binary_labels.csv", "binary_predictions.csv"),
]

# (label column dtype, prediction column dtype) per metric kind.
KIND = {
    "rmse": ("f8", "f8"),
    "mae": ("f8", "f8"),
    "accuracy": ("i8", "i8"),
    "macro_f1": ("i8", "i8"),
    "log_loss": ("i8", "probs"),
    "roc_auc": ("i8", "probs"),
}


def load_two(path, dtype):
    """`id,value` -> (int64 ids, values)."""
    a = np.loadtxt(path, delimiter=",", skiprows=1, dtype=[("id", "i8"), ("v", dtype)])
    return a["id"], a["v"]


def load_probs(path):
    """`id,p_<class>,...` -> (int64 ids, class names, float64 matrix)."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    a = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    return a[:, 0].astype(np.int64), [h[2:] for h in header[1:]], a[:, 1:]


def align(l_ids, p_ids, p_values):
    """Reorder predictions to the labels' id order; every id must be present on both sides."""
    if l_ids.shape == p_ids.shape and np.array_equal(l_ids, p_ids):
        return p_values
    li, pi = np.argsort(l_ids), np.argsort(p_ids)
    if not np.array_equal(l_ids[li], p_ids[pi]):
        raise ValueError("ids differ")
    out = np.empty_like(p_values)
    out[li] = p_values[pi]
    return out


def run(metric, labels_path, preds_path):
    ldt, pdt = KIND[metric]
    t0 = time.perf_counter()
    l_ids, y = load_two(labels_path, ldt)
    if pdt == "probs":
        p_ids, classes, p = load_probs(preds_path)
    else:
        p_ids, p = load_two(preds_path, pdt)
    p = align(l_ids, p_ids, p)
    t1 = time.perf_counter()
    if metric == "rmse":
        v = math.sqrt(mean_squared_error(y, p))
    elif metric == "mae":
        v = mean_absolute_error(y, p)
    elif metric == "accuracy":
        v = accuracy_score(y, p)
    elif metric == "macro_f1":
        v = f1_score(y, p, average="macro")
    elif metric == "log_loss":
        v = log_loss(y, p, labels=[int(c) for c in classes])
    else:
        positive = classes.index(max(classes))
        v = roc_auc_score(y == int(classes[positive]), p[:, positive])
    return float(v), t1 - t0, time.perf_counter() - t0


def main():
    data = sys.argv[1]
    repeat = max(1, int(sys.argv[2]) if len(sys.argv) > 2 else 11)
    only = os.environ.get("CASE")
    warnings.simplefilter("error")  # a warning (e.g. unnormalised probabilities) would be a bench bug
    for case, metric, lf, pf in CASES:
        if only and only != case:
            continue
        lp, pp = os.path.join(data, lf), os.path.join(data, pf)
        with open(lp, "rb") as f:
            rows = f.read().count(b"\n") - 1
        value, _, _ = run(metric, lp, pp)  # warm-up
        totals, parses = [], []
        for _ in range(repeat):
            v, parse, total = run(metric, lp, pp)
            assert v == value, f"{case}: the score changed between runs"
            totals.append(total * 1e3)
            parses.append(parse * 1e3)
        print(
            f"{case}\t{metric}\t{rows}\t{value!r}\t{statistics.median(totals):.3f}\t{min(totals):.3f}"
            f"\t{statistics.median(parses):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

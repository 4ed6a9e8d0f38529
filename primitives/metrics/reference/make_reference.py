#!/usr/bin/env python3
"""Generate reference datasets and scikit-learn's scores for merit-metrics' Rust tests.

Why: merit-metrics must give the same numbers as scikit-learn (see DESIGN.md, "Metrics"). This script writes
small deterministic CSV files in the formats the Rust crate reads, computes every metric with scikit-learn
on all rows and on the public and private rows of a seeded split, and writes the results with full float
precision (repr) to expected.csv. The Rust tests (tests/reference.rs) read these files; Python is not
needed at test time.

Usage (from anywhere):  pip install numpy scikit-learn && python3 make_reference.py
The output is deterministic for a given numpy/scikit-learn version (versions are recorded in expected.csv).
"""

import csv
import hashlib
import io
import os

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    roc_auc_score,
)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = b"merit-reference-salt"
PUBLIC_PPB = 400_000_000
ROWS = 300


def is_public(seed: bytes, row_id: str, ppb: int) -> bool:
    """Same rule as merit_metrics::is_public_row."""
    h = int.from_bytes(hashlib.sha256(seed + row_id.encode()).digest()[:8], "big")
    return (h * 1_000_000_000) >> 64 < ppb


def write(name: str, header: str, rows, crlf=False, final_newline=True) -> bytes:
    nl = "\r\n" if crlf else "\n"
    text = nl.join([header] + [",".join(r) for r in rows])
    if final_newline:
        text += nl
    data = text.encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    return data


def read_two(name: str) -> dict:
    """Read back an id,value file exactly as written (so sklearn sees the float64 of the written text)."""
    with open(os.path.join(HERE, name), newline="") as f:
        r = csv.reader(io.StringIO(f.read().replace("\r\n", "\n")))
        next(r)
        return {row[0].strip(): row[1].strip() for row in r}


def read_probs(name: str):
    with open(os.path.join(HERE, name), newline="") as f:
        r = csv.reader(io.StringIO(f.read().replace("\r\n", "\n")))
        header = [h.strip() for h in next(r)]
        classes = [h[2:] for h in header[1:]]
        rows = {row[0].strip(): [float(x) for x in row[1:]] for row in r}
    return classes, rows


def subsets(ids):
    pub = [i for i in ids if is_public(SEED, i, PUBLIC_PPB)]
    priv = [i for i in ids if not is_public(SEED, i, PUBLIC_PPB)]
    return {"all": list(ids), "public": pub, "private": priv}


def main():
    rng = np.random.default_rng(20240607)
    ids = [str(i) for i in range(1, ROWS + 1)]  # "1".."300": byte order differs from numeric order
    expected = []

    # 1. Regression: a few magnitudes, exponent notation, negative values; predictions shuffled, CRLF,
    #    no final newline.
    y = rng.normal(50.0, 20.0, ROWS)
    y[:5] = [1.5e-05, -3.25e-3, 12345.678, 0.0, -7.0]
    y_hat = y + rng.normal(0.0, 5.0, ROWS)
    y_hat[5] = 2.5e2
    labels_rows = [(i, repr(float(v))) for i, v in zip(ids, y)]
    pred_rows = [(i, repr(float(v))) for i, v in zip(ids, y_hat)]
    pred_rows = [pred_rows[k] for k in rng.permutation(ROWS)]
    labels_bytes = write("regression_labels.csv", "id,y", labels_rows)
    write("regression_predictions.csv", "id,y_hat", pred_rows, crlf=True, final_newline=False)
    yl = read_two("regression_labels.csv")
    yp = read_two("regression_predictions.csv")
    for subset, sel in subsets(ids).items():
        a = np.array([float(yl[i]) for i in sel])
        b = np.array([float(yp[i]) for i in sel])
        expected.append(("regression", "rmse", subset, float(np.sqrt(mean_squared_error(a, b)))))
        expected.append(("regression", "mae", subset, float(mean_absolute_error(a, b))))
    commitment = hashlib.sha256(hashlib.sha256(labels_bytes).digest() + SEED).hexdigest()

    # 2. Multiclass labels (strings); predictions use a label absent from the truth ("fish").
    classes = ["bird", "cat", "dog", "emu"]
    t = rng.integers(0, 4, ROWS)
    noise = rng.random(ROWS)
    p = np.where(noise < 0.6, t, rng.integers(0, 5, ROWS))
    names = classes + ["fish"]
    write("classes_labels.csv", "id,label", [(i, classes[k]) for i, k in zip(ids, t)])
    rows = [(i, names[k]) for i, k in zip(ids, p)]
    write("classes_predictions.csv", "id,label", [rows[k] for k in rng.permutation(ROWS)])
    cl = read_two("classes_labels.csv")
    cp = read_two("classes_predictions.csv")
    for subset, sel in subsets(ids).items():
        a = [cl[i] for i in sel]
        b = [cp[i] for i in sel]
        expected.append(("classes", "accuracy", subset, float(accuracy_score(a, b))))
        expected.append(("classes", "macro_f1", subset, float(f1_score(a, b, average="macro"))))

    # 3. Binary probabilities, two decimals (many ties), including 0, 1 and values below/near eps.
    #    Header order p_1,p_0 (the reader maps columns by name).
    truth = rng.integers(0, 2, ROWS)
    score = np.clip(np.round(0.3 * truth + 0.7 * rng.random(ROWS), 2), 0.0, 1.0)
    p1_text = ["%.2f" % s for s in score]
    p0_text = ["%.2f" % (1.0 - s) for s in score]
    truth[0], p1_text[0], p0_text[0] = 1, "0.00", "1.00"  # true class at 0: clipped to eps
    truth[1], p1_text[1], p0_text[1] = 1, "1.00", "0.00"  # true class at 1: clipped to 1-eps
    truth[2], p1_text[2], p0_text[2] = 0, "1", "0"  # confident and wrong
    truth[3], p1_text[3], p0_text[3] = 1, "1e-17", "0.99999999999999999"  # below eps
    truth[4], p1_text[4], p0_text[4] = 1, "3e-16", "0.9999999999999997"  # just above eps
    truth[5], p1_text[5], p0_text[5] = 0, "0.5E0", "5e-1"
    write("binary_labels.csv", "id,label", [(i, str(k)) for i, k in zip(ids, truth)])
    rows = [(i, a, b) for i, a, b in zip(ids, p1_text, p0_text)]
    write("binary_predictions.csv", "id,p_1,p_0", [rows[k] for k in rng.permutation(ROWS)])
    bl = read_two("binary_labels.csv")
    bclasses, bp = read_probs("binary_predictions.csv")
    order = [bclasses.index(c) for c in sorted(bclasses)]
    for subset, sel in subsets(ids).items():
        yt = [bl[i] for i in sel]
        proba = np.array([[bp[i][c] for c in order] for i in sel])
        expected.append(
            ("binary", "log_loss", subset, float(log_loss(yt, proba, labels=sorted(bclasses))))
        )
        yi = np.array([int(v) for v in yt])
        expected.append(("binary", "roc_auc", subset, float(roc_auc_score(yi, proba[:, 1]))))

    # 4. Multiclass probabilities: 9-decimal softmax outputs whose decimal sum is exactly 1, columns in a
    #    non-sorted order, some zeros and ones.
    mclasses = ["a", "b", "c", "d"]
    header_order = ["c", "a", "d", "b"]
    mt = rng.integers(0, 4, ROWS)
    logits = rng.normal(0.0, 1.5, (ROWS, 4))
    logits[np.arange(ROWS), mt] += 1.0
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    units = np.floor(probs * 1e9).astype(np.int64)
    units[:, 0] += 1_000_000_000 - units.sum(axis=1)
    units[0] = [0, 1_000_000_000, 0, 0]
    mt[0] = 0  # true class has probability 0
    units[1] = [0, 0, 1_000_000_000, 0]
    mt[1] = 2  # true class has probability 1
    prob_rows = []
    for i, u in zip(ids, units):
        by_class = {c: "%d.%09d" % divmod(int(v), 1_000_000_000) for c, v in zip(mclasses, u)}
        prob_rows.append((i, *[by_class[c] for c in header_order]))
    prob_rows[7] = (prob_rows[7][0],) + tuple(
        "%de-9" % int(units[7][mclasses.index(c)]) for c in header_order
    )
    write("multiclass_labels.csv", "id,class", [(i, mclasses[k]) for i, k in zip(ids, mt)], crlf=True)
    write(
        "multiclass_predictions.csv",
        "id," + ",".join("p_" + c for c in header_order),
        [prob_rows[k] for k in rng.permutation(ROWS)],
    )
    ml = read_two("multiclass_labels.csv")
    mcl, mp = read_probs("multiclass_predictions.csv")
    order = [mcl.index(c) for c in sorted(mcl)]
    for subset, sel in subsets(ids).items():
        yt = [ml[i] for i in sel]
        proba = np.array([[mp[i][c] for c in order] for i in sel])
        expected.append(
            ("multiclass", "log_loss", subset, float(log_loss(yt, proba, labels=sorted(mcl))))
        )

    with open(os.path.join(HERE, "expected.csv"), "w", newline="\n") as f:
        f.write("# generated by make_reference.py with numpy %s, scikit-learn %s\n"
                % (np.__version__, sklearn.__version__))
        f.write("# seed=%s public_share_ppb=%d\n" % (SEED.decode(), PUBLIC_PPB))
        f.write("dataset,metric,subset,value\n")
        for d, m, s, v in expected:
            f.write("%s,%s,%s,%r\n" % (d, m, s, v))
        f.write("regression,commitment,all,%s\n" % commitment)
        ids_pub = subsets(ids)["public"]
        f.write("split,public_count,all,%d\n" % len(ids_pub))


if __name__ == "__main__":
    main()

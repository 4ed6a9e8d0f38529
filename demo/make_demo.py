#!/usr/bin/env python3
"""Writes Merit's demo challenge from the Wisconsin Diagnostic Breast Cancer dataset.

Source: W. N. Street, W. H. Wolberg and O. L. Mangasarian, "Nuclear feature extraction for breast
tumor diagnosis" (1993); UCI Machine Learning Repository, https://doi.org/10.24432/C5DW2B,
licensed CC BY 4.0. The copy used is the one bundled with scikit-learn
(`sklearn.datasets.load_breast_cancer`), so no download is needed.

569 tumours, 30 features, diagnosis malignant or benign. Rows are shuffled with a fixed seed; 369
are the public training set (features and diagnosis), 200 the hidden test set (features public,
diagnosis hidden). The metric is log-loss on `id,p_benign,p_malignant` predictions.

Three participants:
- alice: logistic regression on the five "mean size" features;
- bob: 15-nearest-neighbours on all 30 standardised features;
- charlie forks alice's work: the same logistic regression on all 30 standardised features.

`expected.csv` holds scikit-learn's log-loss of each participant on the public and private rows of
the split the demo salt defines (same rule as merit_metrics::is_public_row), which the end-to-end
test compares with the scores the evaluators' off-chain worker posts on chain.

Run: python3 demo/make_demo.py  (numpy and scikit-learn; the files are committed).
"""
import hashlib
import os

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
SALT = b"merit-demo-salt-2026"
PUBLIC_PPB = 400_000_000  # 40% of the hidden rows are on the public leaderboard
TRAIN_ROWS = 369


def is_public(seed: bytes, row_id: str, ppb: int) -> bool:
    """Same rule as merit_metrics::is_public_row."""
    h = int.from_bytes(hashlib.sha256(seed + row_id.encode()).digest()[:8], "big")
    return (h * 1_000_000_000) >> 64 < ppb


def main() -> None:
    data = load_breast_cancer()
    rng = np.random.RandomState(2026)
    order = rng.permutation(len(data.target))
    X, y = data.data[order], data.target[order]
    names = [n.replace(" ", "_") for n in data.feature_names]
    # scikit-learn's target: 0 = malignant, 1 = benign.
    diagnosis = np.array(["malignant", "benign"])[y]
    ids = ["t%03d" % i for i in range(len(y))]
    train, test = slice(0, TRAIN_ROWS), slice(TRAIN_ROWS, None)

    with open(os.path.join(HERE, "train.csv"), "w") as f:
        f.write("id," + ",".join(names) + ",diagnosis\n")
        for i in range(TRAIN_ROWS):
            f.write(ids[i] + "," + ",".join(repr(float(v)) for v in X[i]) + "," + diagnosis[i] + "\n")
    with open(os.path.join(HERE, "test_features.csv"), "w") as f:
        f.write("id," + ",".join(names) + "\n")
        for i in range(TRAIN_ROWS, len(y)):
            f.write(ids[i] + "," + ",".join(repr(float(v)) for v in X[i]) + "\n")
    with open(os.path.join(HERE, "labels.csv"), "w") as f:
        f.write("id,diagnosis\n")
        for i in range(TRAIN_ROWS, len(y)):
            f.write("%s,%s\n" % (ids[i], diagnosis[i]))

    models = {
        "alice": (make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)), list(range(5))),
        "bob": (make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)), list(range(30))),
        "charlie": (make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)), list(range(30))),
    }
    test_ids = ids[TRAIN_ROWS:]
    y_test = diagnosis[test]
    public = np.array([is_public(SALT, i, PUBLIC_PPB) for i in test_ids])
    rows = []
    for who, (model, cols) in models.items():
        model.fit(X[train][:, cols], diagnosis[train])
        proba = model.predict_proba(X[test][:, cols])
        classes = list(model.classes_)  # ['benign', 'malignant']
        benign = proba[:, classes.index("benign")]
        # Six decimals, and the two columns sum to exactly 1 in decimal.
        p_benign = np.round(benign, 6)
        p_malignant = 1.0 - p_benign
        with open(os.path.join(HERE, "predictions_%s.csv" % who), "w") as f:
            f.write("id,p_benign,p_malignant\n")
            for i, rid in enumerate(test_ids):
                b = "%.6f" % p_benign[i]
                m = "%.6f" % p_malignant[i]
                f.write("%s,%s,%s\n" % (rid, b, m))
        # Score exactly what was written, as evaluators will.
        written = np.loadtxt(os.path.join(HERE, "predictions_%s.csv" % who), delimiter=",", skiprows=1,
                             usecols=(1, 2))
        for subset, mask in (("public", public), ("private", ~public)):
            loss = log_loss(y_test[mask], written[mask], labels=["benign", "malignant"])
            rows.append((who, subset, loss))

    with open(os.path.join(HERE, "expected.csv"), "w") as f:
        f.write("# scikit-learn %s log_loss; salt=%s public_share_ppb=%d; public rows=%d of %d\n"
                % (__import__("sklearn").__version__, SALT.decode(), PUBLIC_PPB, int(public.sum()), len(public)))
        f.write("participant,subset,log_loss\n")
        for who, subset, loss in rows:
            f.write("%s,%s,%r\n" % (who, subset, loss))


if __name__ == "__main__":
    main()

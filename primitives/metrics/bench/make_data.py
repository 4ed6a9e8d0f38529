#!/usr/bin/env python3
"""Write the seeded benchmark files for `bash scripts/bench metrics` (1,000,000 rows by default).

Usage: make_data.py OUT_DIR [ROWS]

Files, in the formats merit-metrics reads (header, `id,value` or `id,p_<class>,...`, `\n` line ends):

  regression_labels.csv      id,y       4-decimal values, ids 1..ROWS in order
  regression_predictions.csv id,y_hat   float64 written with repr (up to 17 significant digits, as
                                        pandas' to_csv or Python's str would), same id order
  shuffled_predictions.csv   id,y_hat   the same rows in a random order (exercises matching by id)
  classes_labels.csv         id,label   10 classes, labels 0..9
  classes_predictions.csv    id,label   right 70% of the time
  binary_labels.csv          id,label   0/1
  binary_predictions.csv     id,p_0,p_1 6 decimals, each row sums to exactly 1 in decimal

Deterministic: numpy's default_rng with a fixed seed; the same numpy version writes the same bytes.
A `done` file marks a complete set, so an interrupted run is redone rather than reused.
"""

import os
import sys

import numpy as np

SEED = 20261124


def write(path: str, header: str, lines) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", newline="\n") as f:
        f.write(header + "\n")
        f.write("\n".join(lines))
        f.write("\n")
    os.replace(tmp, path)


def main() -> None:
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    os.makedirs(out, exist_ok=True)
    done = os.path.join(out, "done")
    if os.path.exists(done):
        with open(done) as f:
            if f.read().strip() == f"rows={rows} seed={SEED}":
                print(f"bench data: reusing {out}")
                return
        os.remove(done)
    rng = np.random.default_rng(SEED)
    ids = [str(i) for i in range(1, rows + 1)]

    y = np.round(rng.normal(50.0, 20.0, rows), 4)
    y_hat = y + rng.normal(0.0, 3.0, rows)
    write(os.path.join(out, "regression_labels.csv"), "id,y", (f"{i},{v:.4f}" for i, v in zip(ids, y)))
    pred_lines = [f"{i},{v!r}" for i, v in zip(ids, y_hat.tolist())]
    write(os.path.join(out, "regression_predictions.csv"), "id,y_hat", pred_lines)
    order = rng.permutation(rows)
    write(os.path.join(out, "shuffled_predictions.csv"), "id,y_hat", (pred_lines[k] for k in order))

    c = rng.integers(0, 10, rows)
    right = rng.random(rows) < 0.7
    c_hat = np.where(right, c, rng.integers(0, 10, rows))
    write(os.path.join(out, "classes_labels.csv"), "id,label", (f"{i},{v}" for i, v in zip(ids, c.tolist())))
    write(os.path.join(out, "classes_predictions.csv"), "id,label", (f"{i},{v}" for i, v in zip(ids, c_hat.tolist())))

    b = rng.integers(0, 2, rows)
    logit = (2 * b - 1) * 1.2 + rng.normal(0.0, 1.5, rows)
    p1_micro = np.rint(1e6 / (1.0 + np.exp(-logit))).astype(np.int64)  # millionths, exact integers
    write(os.path.join(out, "binary_labels.csv"), "id,label", (f"{i},{v}" for i, v in zip(ids, b.tolist())))
    write(
        os.path.join(out, "binary_predictions.csv"),
        "id,p_0,p_1",
        (f"{i},{(1_000_000 - q) / 1e6:.6f},{q / 1e6:.6f}" for i, q in zip(ids, p1_micro.tolist())),
    )
    with open(done, "w") as f:
        f.write(f"rows={rows} seed={SEED}\n")
    print(f"bench data: wrote {rows} rows per file to {out}")


if __name__ == "__main__":
    main()

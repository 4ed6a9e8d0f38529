#!/usr/bin/env python3
"""Join the outputs of the three benchmark programs into one table and check the claim.

Usage: compare.py NATIVE.tsv SKLEARN.tsv [WASM.tsv]

Exit status 1 when merit-metrics (native, files read from disk, median) is slower than numpy +
scikit-learn on any case, or when the two scores differ by more than 1e-9 relative, or when the WASM
guest (if measured) cannot score a case (out of heap, a trap, a scoring error), lacks a case, or gives a
different score from the native one.
"""

import sys


def read(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            rows[fields[0]] = fields
    return rows


def main():
    native = read(sys.argv[1])
    sk = read(sys.argv[2])
    wasm = read(sys.argv[3]) if len(sys.argv) > 3 else {}
    head = (
        f"{'case':<14} {'metric':<9} {'rows':>9}  {'rust mem':>9} {'rust file':>9} {'np+sklearn':>10} "
        f"{'ratio':>6}  {'wasm (OCW)':>10} {'wasm heap':>9}  agreement"
    )
    print(head)
    print("-" * len(head))
    failures = []
    for case, n in native.items():
        _, metric, rows, value, mem_med, _, file_med, _ = n
        if case not in sk:
            failures.append(f"{case}: no numpy+sklearn result")
            continue
        s = sk[case]
        sk_value, sk_med = float(s[3]), float(s[4])
        rel = abs(float(value) - sk_value) / max(abs(sk_value), 1e-300)
        ratio = float(file_med) / sk_med
        w = wasm.get(case)
        heap_cell = "-"
        if w is None:
            wasm_cell = "-"
            if wasm:
                failures.append(f"{case}: no WASM result")
        elif w[3] == "ERROR":
            wasm_cell = "fails"
            failures.append(f"{case}: in WASM: {w[4]}")
        else:
            wasm_cell = f"{float(w[4]):.1f}"
            heap_cell = f"{float(w[6]):.0f} MiB" if len(w) > 6 else "-"
            if w[3] != value:
                failures.append(f"{case}: WASM score {w[3]} differs from native {value}")
        print(
            f"{case:<14} {metric:<9} {int(rows):>9}  {float(mem_med):>9.1f} {float(file_med):>9.1f} "
            f"{sk_med:>10.1f} {ratio:>6.2f}  {wasm_cell:>10} {heap_cell:>9}  {rel:.1e}"
        )
        if rel > 1e-9:
            failures.append(f"{case}: merit {value} vs scikit-learn {s[3]} (relative difference {rel:.1e})")
        if ratio > 1.0:
            failures.append(f"{case}: merit-metrics ({file_med} ms) is slower than numpy+sklearn ({sk_med:.1f} ms)")
    print()
    print(
        "median ms of 1 warm-up + REPEAT runs; rust mem = score() on bytes in memory, rust file = read both files"
        " + score(), np+sklearn = numpy.loadtxt both files + align by id + sklearn metric, ratio = rust file /"
        " np+sklearn, wasm = copy both files into a fresh instance + score() under wasmtime as the node runs the OCW,"
        " wasm heap = peak of the instance's 128 MiB heap (both files included)"
    )
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

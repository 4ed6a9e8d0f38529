"""Data and report of the labelling campaign demo (scripts/campaign-demo). Standard library only.

  python3 campaign.py prepare DIGITS_CSV_GZ OUT_DIR SUBJECTS GOLD
  python3 campaign.py report OUT_DIR SUBJECTS_JSON TRUTH_CSV FIXED_COUNT
  python3 campaign.py challenge OUT_DIR LABELS_CSV

prepare: the first GOLD rows become the gold batch (gold.csv: path,answer), the next SUBJECTS rows
the subjects (subjects.txt, in order), truth.csv maps each subject index on chain (gold first, then
the subjects, as the demo adds them) to its digit, and the remaining rows are the challenge's
training data (train.csv).
report: from `merit campaign subjects` (JSON), the consensus accuracy of the campaign's rule and of a
plain majority vote over the same revealed votes, and the classifications spent against FIXED_COUNT
per subject; writes report.json and prints a table.
challenge: turns the exported labels (subject,digest,label,confidence) into a challenge's hidden
labels (id,digit) and test features (id,p0..p63) for the same subjects.
"""
import csv
import gzip
import json
import os
import sys


def read_digits(path):
    with gzip.open(path, "rt") as f:
        return [[int(v) for v in row] for row in csv.reader(f) if row]


def pgm(pixels, name):
    # The comment names the image, so two images with equal pixels are still two files (subjects).
    rows = [" ".join(str(p) for p in pixels[r * 8:(r + 1) * 8]) for r in range(8)]
    return f"P2\n# {name}\n8 8\n16\n" + "\n".join(rows) + "\n"


def prepare(digits_path, out, subjects, gold):
    rows = read_digits(digits_path)
    if subjects + gold > len(rows):
        sys.exit(f"only {len(rows)} digits: {subjects} subjects and {gold} gold do not fit")
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    truth = []
    with open(os.path.join(out, "gold.csv"), "w") as g:
        g.write("path,answer\n")
        for i, row in enumerate(rows[:gold]):
            name = f"images/gold-{i:04d}.pgm"
            with open(os.path.join(out, name), "w") as f:
                f.write(pgm(row[:64], name))
            g.write(f"{name},{row[64]}\n")
            truth.append((i, row[64]))
    with open(os.path.join(out, "subjects.txt"), "w") as s:
        for i, row in enumerate(rows[gold:gold + subjects]):
            name = os.path.join(out, f"images/subject-{i:04d}.pgm")
            with open(name, "w") as f:
                f.write(pgm(row[:64], f"subject {i}"))
            s.write(name + "\n")
            truth.append((gold + i, row[64]))
    with open(os.path.join(out, "truth.csv"), "w") as t:
        t.write("subject,label\n")
        for subject, label in truth:
            t.write(f"{subject},{label}\n")
    with open(os.path.join(out, "features.json"), "w") as f:
        json.dump({str(gold + i): row[:64] for i, row in enumerate(rows[gold:gold + subjects])}, f)
    with open(os.path.join(out, "train.csv"), "w") as t:
        t.write("id," + ",".join(f"p{i}" for i in range(64)) + ",digit\n")
        for i, row in enumerate(rows[gold + subjects:]):
            t.write(f"r{i}," + ",".join(str(v) for v in row) + "\n")


def report(out, subjects_json, truth_csv, fixed_count):
    with open(subjects_json) as f:
        subjects = [s for s in json.load(f) if not s["gold"]]
    with open(truth_csv) as f:
        truth = {int(r["subject"]): int(r["label"]) for r in csv.DictReader(f)}
    retired = [s for s in subjects if s["label"] is not None]
    rule_right = sum(1 for s in retired if s["label"] == truth[s["subject"]])
    voted = [s for s in subjects if s["votes"] > 0]
    # Plain majority vote over the same revealed votes (ties to the lowest digit, as on chain).
    majority_right = sum(1 for s in voted if s["tally"].index(max(s["tally"])) == truth[s["subject"]])
    spent = sum(s["votes"] for s in subjects)
    result = {
        "subjects": len(subjects),
        "retired": len(retired),
        "rule_accuracy": rule_right / max(len(retired), 1),
        "majority_accuracy": majority_right / max(len(voted), 1),
        "classifications": spent,
        "fixed_count_classifications": fixed_count * len(subjects),
    }
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(f"{'':38}{'consensus accuracy':>20}{'classifications':>18}")
    print(f"{'the campaign rule (multi-class SWAP)':38}{result['rule_accuracy']:>20.3f}{spent:>18}")
    print(f"{'majority vote over the same votes':38}{result['majority_accuracy']:>20.3f}{spent:>18}")
    print(f"{'fixed count of ' + str(fixed_count) + ' (Zooniverse default)':38}{'':>20}{result['fixed_count_classifications']:>18}")
    print(f"retired {len(retired)} of {len(subjects)} subjects with {spent} classifications, "
          f"{spent / max(result['fixed_count_classifications'], 1):.0%} of what a fixed count of {fixed_count} spends")


def challenge(out, labels_csv):
    with open(os.path.join(out, "features.json")) as f:
        features = json.load(f)
    with open(labels_csv) as f:
        labels = list(csv.DictReader(f))
    with open(os.path.join(out, "challenge_labels.csv"), "w") as l, open(os.path.join(out, "challenge_test.csv"), "w") as t:
        l.write("id,digit\n")
        t.write("id," + ",".join(f"p{i}" for i in range(64)) + "\n")
        for row in labels:
            l.write(f"s{row['subject']},{row['label']}\n")
            t.write(f"s{row['subject']}," + ",".join(str(v) for v in features[row["subject"]]) + "\n")
    print(len(labels))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        prepare(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif command == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif command == "challenge":
        challenge(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"unknown command {command}")

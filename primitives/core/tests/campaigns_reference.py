"""An independent reference for Merit's labelling arithmetic (merit_primitives::campaigns).

Reads cases with the Rust implementation's outputs as JSON on stdin, recomputes every value from
the published equations with exact rationals (fractions.Fraction: no rounding at all), and checks
the fixed-point values agree within the stated tolerances. Prints `checked N cases` and exits 0, or
names every disagreement and exits 1.

- SWAP (Marshall et al. 2016): P_X <- (P_X N_X + [said X]) / (N_X + 1), N_X += 1, clipped to
  [0.01, 0.99]; said L: p <- P_L p / (P_L p + (1 - P_D)(1 - p)); said N:
  p <- (1 - P_L) p / ((1 - P_L) p + P_D (1 - p)); p kept within [2e-8, 1 - 2e-8].
- Multi-class SWAP with Gravity Spy's confusion matrices: counts with one pseudo-count per cell;
  a vote applies Bayes' rule p_i <- P(said | i) p_i / sum_j P(said | j) p_j, with P(said | i) the
  voter's row-normalised count.
- Caesar's consensus and Panoptes' fixed count; the designator's gold schedule.
"""
import json
import sys
from fractions import Fraction as F

ONE = 10**18
# Fixed point rounds down at every step; these bound what that may add up to.
SKILL_TOLERANCE = F(1, 10**15)
POSTERIOR_RELATIVE_TOLERANCE = F(1, 10**8)

failures = []


def fixed(x):
    return F(int(x), ONE)


def near(label, rust, exact, tolerance):
    if abs(fixed(rust) - exact) > tolerance:
        failures.append(f"{label}: rust {fixed(rust)} = {float(fixed(rust))!r}, exact {float(exact)!r}")


def swap_case(case):
    skills = []
    for history in case["gold"]:
        n = 2 + case["skepticism"]
        p = {True: F(1, 2), False: F(1, 2)}
        count = {True: n, False: n}
        for truth, said in history:
            hit = 1 if truth == said else 0
            p[truth] = min(max((p[truth] * count[truth] + hit) / (count[truth] + 1), F(1, 100)), F(99, 100))
            count[truth] += 1
        skills.append(p)
    for i, (rust_pl, rust_pd) in enumerate(case["rust_skills"]):
        near(f"swap case {case['id']} volunteer {i} P_L", rust_pl, skills[i][True], SKILL_TOLERANCE)
        near(f"swap case {case['id']} volunteer {i} P_D", rust_pd, skills[i][False], SKILL_TOLERANCE)
    # The subject is updated with the exact skills; the fixed-point run used its own.
    p = fixed(case["prior"])
    floor = F(2, 10**8)
    for step, ((volunteer, said_l), rust_p) in enumerate(zip(case["votes"], case["rust_posteriors"])):
        pl, pd = skills[volunteer][True], skills[volunteer][False]
        if said_l:
            p = pl * p / (pl * p + (1 - pd) * (1 - p))
        else:
            p = (1 - pl) * p / ((1 - pl) * p + pd * (1 - p))
        p = min(max(p, floor), 1 - floor)
        near(f"swap case {case['id']} step {step}", rust_p, p, max(p * POSTERIOR_RELATIVE_TOLERANCE, F(1, 10**16)))
        detect, reject = fixed(case["detect"]), fixed(case["reject"])
        verdict = 1 if p >= detect else 0 if p <= reject else None
        margin = min(abs(p - detect), abs(p - reject))
        if verdict != case["rust_verdicts"][step] and margin > p * POSTERIOR_RELATIVE_TOLERANCE:
            failures.append(f"swap case {case['id']} step {step}: verdict {case['rust_verdicts'][step]}, exact {verdict}")


def gravity_case(case):
    k = case["answers"]
    matrices = []
    for history in case["gold"]:
        counts = [[1] * k for _ in range(k)]
        for truth, said in history:
            counts[truth][said] += 1
        matrices.append(counts)
    for v, counts in enumerate(matrices):
        skills = [F(counts[i][i], sum(counts[i])) for i in range(k)]
        for i in range(k):
            near(f"gravity case {case['id']} volunteer {v} skill {i}", case["rust_skills"][v][i], skills[i], SKILL_TOLERANCE)
        mean = sum(skills) / k
        weight = max(F(0), (mean - F(1, k)) / (1 - F(1, k)))
        near(f"gravity case {case['id']} volunteer {v} weight", case["rust_weights"][v], weight, SKILL_TOLERANCE)
    posterior = [fixed(x) for x in case["prior"]]
    for step, ((volunteer, said), (rust_top, rust_posterior)) in enumerate(zip(case["votes"], case["rust_tops"])):
        counts = matrices[volunteer]
        likelihood = [F(counts[i][said], sum(counts[i])) for i in range(k)]
        joint = [posterior[i] * likelihood[i] for i in range(k)]
        total = sum(joint)
        posterior = [j / total for j in joint]
        best = max(posterior)
        top = posterior.index(best)
        near(f"gravity case {case['id']} step {step} posterior", rust_posterior, best, F(4 * k * (step + 2), ONE) + best * POSTERIOR_RELATIVE_TOLERANCE)
        runner_up = max([x for i, x in enumerate(posterior) if i != top], default=F(0))
        if rust_top != top and best - runner_up > F(8 * k * (step + 2), ONE) + best * POSTERIOR_RELATIVE_TOLERANCE:
            failures.append(f"gravity case {case['id']} step {step}: top {rust_top}, exact {top}")


def counting_case(case):
    tally = case["tally"]
    total = sum(tally)
    top = tally.index(max(tally)) if total else 0
    share = F(max(tally), total) if total else F(0)
    rule = case["rule"]
    if rule["kind"] == "fixed":
        verdict = top if total >= rule["count"] else None
    else:
        verdict = top if total >= rule["min_votes"] and share >= fixed(rule["agreement"]) else None
    if verdict != case["rust_verdict"]:
        failures.append(f"counting case {case['id']} {tally} {rule}: rust {case['rust_verdict']}, exact {verdict}")


def schedule_case(case):
    # Each step serves its own rate: the gold due by subject `seen` is the sum over the subjects
    # 0..=seen of the rate in force when each was shown; past the last step its rate holds.
    steps = [(below, fixed(rate)) for below, rate in case["steps"]]
    gold = 0
    target = F(0)
    for seen, rust_due in enumerate(case["rust_due"]):
        target += next((rate for below, rate in steps if seen < below), steps[-1][1])
        due = gold < target
        if due != rust_due:
            failures.append(f"schedule case {case['id']} at {seen}: rust {rust_due}, exact {due}")
        gold += 1 if due else 0


cases = json.load(sys.stdin)
for case in cases:
    {"swap": swap_case, "gravity": gravity_case, "counting": counting_case, "schedule": schedule_case}[case["kind"]](case)
for failure in failures[:40]:
    print(failure)
if failures:
    print(f"{len(failures)} disagreements in {len(cases)} cases")
    sys.exit(1)
print(f"checked {len(cases)} cases")

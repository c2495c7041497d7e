"""Before/after table for compare.sh --baseline: the "ours" medians of the baseline commit and of
the current one, from two alternating rounds each (the better median of each side is kept, so a
burst of load in one round does not decide), and the ratio baseline / current per case."""
import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ops_for  # noqa: E402

out, base_commit, current_commit = sys.argv[1], sys.argv[2], sys.argv[3]


def medians(prefix):
    best = {}
    for round_dir in sorted(d for d in os.listdir(out) if d.startswith(prefix)):
        path = os.path.join(out, round_dir, "Current_run.influx.csv")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            rows = csv.DictReader(l for l in f if not l.startswith("#"))
            for r in rows:
                if r["percentile"] != "50.0" or r["metric"] != "Time(wallclock)" or not r["test"].endswith("/ours"):
                    continue
                case = r["test"].rsplit("/", 1)[0]
                ns = float(r["value"]) / ops_for(r["test"])
                best[case] = min(best.get(case, ns), ns)
    return best


def fmt(ns):
    if ns < 1_000:
        return f"{ns:.1f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.1f} µs"
    return f"{ns / 1e6:.2f} ms"


base, current = medians("baseline-"), medians("current-")
print(f"| case | baseline {base_commit} | current {current_commit} | ratio | verdict |")
print("|---|---|---|---|---|")
slower = 0
for case in sorted(set(base) & set(current)):
    ratio = base[case] / current[case]
    verdict = "more than 5 % slower" if ratio < 0.95 else ("faster" if ratio > 1.05 else "same within 5 %")
    slower += ratio < 0.95
    print(f"| {case} | {fmt(base[case])} | {fmt(current[case])} | {ratio:.2f}× | {verdict} |")
print()
print(f"{slower} case(s) more than 5 % slower than the baseline")

# Cases the baseline does not have (added with the change being measured): the current side's
# figure alone, by the same rule (the better median of the two rounds).
added = sorted(set(current) - set(base))
if added:
    print()
    print(f"| case only in current {current_commit} | current |")
    print("|---|---|")
    for case in added:
        print(f"| {case} | {fmt(current[case])} |")

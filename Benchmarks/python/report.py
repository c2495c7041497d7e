"""Reads one compare.sh run (Swift benchmark influx export + Python peer JSON lines + memory and
demo probes) and prints a markdown table of medians and ratios (peer time / our time)."""
import csv
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ops_for  # noqa: E402
from collections import OrderedDict

out = sys.argv[1]


rows = OrderedDict()  # case -> {impl: (median ns per op, mallocs per op)}
influx = os.path.join(out, "Current_run.influx.csv")
if os.path.exists(influx):
    with open(influx) as f:
        lines = [l for l in f if not l.startswith("#")]
    for r in csv.DictReader(lines):
        if r["percentile"] != "50.0":
            continue
        name = r["test"]
        case, impl = name.rsplit("/", 1)
        n = ops_for(name)
        entry = rows.setdefault(case, OrderedDict()).setdefault(impl, [None, None])
        if r["metric"] == "Time(wallclock)":
            entry[0] = float(r["value"]) / n
        elif r["metric"] == "Malloc(total)":
            entry[1] = float(r["value"]) / n
py = os.path.join(out, "python.jsonl")
if os.path.exists(py):
    for line in open(py):
        if not line.startswith("{"):
            continue
        d = json.loads(line)
        case, impl = d["name"].rsplit("/", 1)
        rows.setdefault(case, OrderedDict())[impl] = [d["median_ns"] / d["ops"], None]


def fmt_time(ns):
    if ns is None:
        return "–"
    if ns < 1_000:
        return f"{ns:.1f} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.1f} µs"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e9:.2f} s"


def rate(case, ns):
    if ns is None or ns == 0:
        return ""
    if case.startswith("Bus/e2e_"):
        return f" ({1e9 / ns / 1e6:.2f} M events/s)"
    if case.startswith("StatsD/"):
        return f" ({1e9 / ns / 1e6:.2f} M lines/s)"
    return ""


print("| case | ours: median per op | ours: allocs per op | peer | peer: median per op | peer: allocs per op | ratio peer/ours |")
print("|---|---|---|---|---|---|---|")
for case, impls in rows.items():
    ours = impls.get("ours")
    peers = [(k, v) for k, v in impls.items() if k != "ours"]
    o_t = ours[0] if ours else None
    o_m = ours[1] if ours else None
    o_m_s = "–" if o_m is None else f"{o_m:.2f}"
    if not peers:
        print(f"| {case} | {fmt_time(o_t)}{rate(case, o_t)} | {o_m_s} | – | – | – | – |")
    for peer, (p_t, p_m) in peers:
        ratio = f"{p_t / o_t:.2f}×" if (o_t and p_t) else "–"
        p_m_s = "–" if p_m is None else f"{p_m:.2f}"
        print(f"| {case} | {fmt_time(o_t)}{rate(case, o_t)} | {o_m_s} | {peer} | {fmt_time(p_t)}{rate(case, p_t)} | {p_m_s} | {ratio} |")

mem = os.path.join(out, "memory.txt")
if os.path.exists(mem):
    print()
    print("| memory, 100k counter series | heap bytes per series | RSS bytes per series |")
    print("|---|---|---|")
    for line in open(mem):
        m = re.search(r"memory (\S+) series=(\d+) heap_bytes_per_series=(-?\d+) rss_bytes_per_series=(-?\d+)", line)
        if m:
            print(f"| {m.group(1)} | {m.group(3)} | {m.group(4)} |")
demo = os.path.join(out, "demo.txt")
if os.path.exists(demo):
    print()
    for line in open(demo):
        if line.startswith("demo-rss"):
            print(line.strip())
host = os.path.join(out, "host-cost", "result.md")
if os.path.exists(host):
    print()
    print("Host cost (Benchmarks/host-cost.sh):")
    print()
    print(open(host).read().strip())

"""Shared helpers: a timing helper that prints one JSON line per measurement (read by
../compare.sh), and the operations per iteration of each Swift benchmark family (for the reports)."""
import json
import statistics
import time


def measure(name, fn, ops=1, repeat=5, warmup=1):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t0)
    print(json.dumps({"name": name, "median_ns": statistics.median(samples), "ops": ops,
                      "samples": len(samples)}), flush=True)


def ops_for(name):
    """Operations per measured iteration, by benchmark family (see the Swift sources)."""
    if name.startswith("Instruments/"):
        return 1_000_000
    if name.startswith("Bus/e2e_"):
        return 100_000
    if name.startswith("Bus/producer_emit"):
        return 1_000
    if name.startswith("StatsD/"):
        return 100_000
    return 1

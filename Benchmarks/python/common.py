"""Shared timing helper: prints one JSON line per measurement, read by ../compare.sh."""
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

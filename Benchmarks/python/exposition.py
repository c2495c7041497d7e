"""prometheus_client 0.26 `generate_latest` (0.0.4 text, and OpenMetrics for the `_om` cases) on the layout of Benchmarks/Exposition:
10 families, N/10 series each, labels {path, code}; counters hold integers, histograms have the
14 Buckets.agentLatency bounds and three observations per series."""
import sys

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_latest_openmetrics

from common import measure

BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60]


def build(kind, n):
    registry = CollectorRegistry()
    per_family = n // 10
    for f in range(10):
        if kind == "counters":
            c = Counter(f"bench_requests_{f}", f"Requests handled, family {f}.", ["path", "code"], registry=registry)
            for i in range(per_family):
                c.labels(f"/api/v1/item/{i}", "200").inc((i * 7) % 1000 + 1)
        else:
            h = Histogram(f"bench_latency_{f}_seconds", f"Latency, family {f}.", ["path", "code"], buckets=BUCKETS, registry=registry)
            for i in range(per_family):
                s = h.labels(f"/api/v1/item/{i}", "200")
                for v in (0.003, 0.07, 1.7):
                    s.observe(v)
    return registry


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10000, 100000]
    for kind in ("counters", "histograms"):
        for n in sizes:
            registry = build(kind, n)
            repeat = 5 if n <= 10000 else (3 if kind == "counters" else 1)
            measure(f"Exposition/{kind}_{n // 1000}k/prometheus_client", lambda: generate_latest(registry),
                    repeat=repeat, warmup=0 if n > 10000 else 1)
            # OpenMetrics 1.0, the peer of our Exposition/*_om cases.
            measure(f"Exposition/{kind}_{n // 1000}k_om/prometheus_client", lambda: generate_latest_openmetrics(registry),
                    repeat=repeat, warmup=0 if n > 10000 else 1)
            del registry


if __name__ == "__main__":
    main()

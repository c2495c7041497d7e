"""prometheus_client 0.26 direct instrument updates, as Benchmarks/Instruments does them."""
from prometheus_client import CollectorRegistry, Counter, Histogram

from common import measure

N = 200_000
BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60]
registry = CollectorRegistry()
held = Counter("held", "h", ["k"], registry=registry).labels("v")
lookup = Counter("lookup", "h", ["tool", "vertical", "outcome"], registry=registry)
keys = [(f"tool_{i}", "coding", "success") for i in range(16)]
hist = Histogram("obs_seconds", "h", ["k"], buckets=BUCKETS, registry=registry).labels("v")
values = [(i % 97) * 0.37 for i in range(1024)]


def held_inc():
    inc = held.inc
    for _ in range(N):
        inc()


def labelled():
    for i in range(N):
        lookup.labels(*keys[i & 15]).inc()


def observe():
    obs = hist.observe
    for i in range(N):
        obs(values[i & 1023])


measure("Instruments/held_counter_increment/prometheus_client", held_inc, ops=N)
measure("Instruments/labelled_lookup_increment/prometheus_client", labelled, ops=N)
measure("Instruments/histogram_observe/prometheus_client", observe, ops=N)

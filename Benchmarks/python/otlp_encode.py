"""OpenTelemetry Python SDK 1.45 OTLP/HTTP exporter encoding: `encode_metrics` (the exporter's
encoder) + `SerializeToString` + gzip as the exporter's `_export` does it (GzipFile, default
level), from metrics data collected beforehand (as our OTLP/encode_* cases start from a snapshot). Layout as Benchmarks/OTLP: 10 counters, N/10 points each, attributes {path, code}."""
import gzip
import sys
from io import BytesIO

from google.protobuf.internal import api_implementation
from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.metrics.view import View
from opentelemetry.sdk.resources import Resource

from common import measure


def build(n):
    reader = InMemoryMetricReader()
    # The SDK caps each instrument at 2,000 attribute sets by default; lift the cap so that every
    # point is encoded (as our registry does with cardinalityLimit 1,000,000).
    provider = MeterProvider(metric_readers=[reader], resource=Resource.create({"service.name": "bench"}),
                             views=[View(instrument_name="*", aggregation_cardinality_limit=1_000_000)])
    meter = provider.get_meter("bench")
    per = n // 10
    for f in range(10):
        c = meter.create_counter(f"bench_requests_{f}_total", description=f"Requests handled, family {f}.")
        for i in range(per):
            c.add((i * 7) % 1000 + 1, {"path": f"/api/v1/item/{i}", "code": "200"})
    data = reader.get_metrics_data()
    points = sum(len(m.data.data_points) for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics)
    if points != n:
        raise SystemExit(f"expected {n} data points, the SDK produced {points}")
    return provider, data


def gzip_like_exporter(body):
    out = BytesIO()
    with gzip.GzipFile(fileobj=out, mode="w") as stream:
        stream.write(body)
    return out.getvalue()


def main():
    print(f"# protobuf backend: {api_implementation.Type()}", file=sys.stderr)
    for n in [int(a) for a in sys.argv[1:]] or [10000, 100000]:
        provider, data = build(n)
        repeat = 5 if n <= 10000 else 3
        # The same work is the peer of two Swift cases: OTLP/encode_* (our encoder alone, from a
        # snapshot) and OTLP/export_* (our exporter with snapshot and HTTP round trip included).
        for case in ("encode", "export"):
            measure(f"OTLP/{case}_{n // 1000}k_gzip/python-otel-sdk",
                    lambda: gzip_like_exporter(encode_metrics(data).SerializeToString()), repeat=repeat)
            measure(f"OTLP/{case}_{n // 1000}k_none/python-otel-sdk",
                    lambda: encode_metrics(data).SerializeToString(), repeat=repeat)
        provider.shutdown()


if __name__ == "__main__":
    main()

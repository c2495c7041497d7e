#!/usr/bin/env python3
"""Decodes a Prometheus protobuf exposition with the Python protobuf runtime and compares it
with a text exposition of the same registry, parsed by prometheus_client's own text parser.

usage: prometheus_protobuf_check.py PROTOBUF_FILE TEXT_FILE [IGNORED_PREFIX]

Families whose name starts with IGNORED_PREFIX are left out of the comparison (an endpoint's own
request counters move between two scrapes).

The io.prometheus.client messages are declared here from the client_model metrics.proto field
numbers (a FileDescriptorProto built by hand, no generated code), so the decoding is the protobuf
library's, independent of the Swift writer. Prints one JSON object:
  {"families": {name: {"type": ..., "help": ..., "series": [...]}}, "mismatches": [...]}
and exits 1 when a value differs between the two expositions or a native histogram is
inconsistent (count != zero count + buckets, spans and deltas of different lengths).
"""
import json
import math
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.internal.decoder import _DecodeVarint32
from prometheus_client.parser import text_string_to_metric_families

F = descriptor_pb2.FieldDescriptorProto


def build_classes():
    f = descriptor_pb2.FileDescriptorProto(name="ts_metrics.proto", package="io.prometheus.client", syntax="proto2")

    def message(name, fields):
        m = f.message_type.add(name=name)
        for fname, number, ftype, label, type_name in fields:
            field = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                field.type_name = ".io.prometheus.client." + type_name if "." not in type_name else type_name
        return m

    OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    f.dependency.append("google/protobuf/timestamp.proto")
    ts = ".google.protobuf.Timestamp"
    message("LabelPair", [("name", 1, F.TYPE_STRING, OPT, None), ("value", 2, F.TYPE_STRING, OPT, None)])
    message("Gauge", [("value", 1, F.TYPE_DOUBLE, OPT, None)])
    message("Exemplar", [("label", 1, F.TYPE_MESSAGE, REP, "LabelPair"), ("value", 2, F.TYPE_DOUBLE, OPT, None),
                         ("timestamp", 3, F.TYPE_MESSAGE, OPT, ts)])
    message("Counter", [("value", 1, F.TYPE_DOUBLE, OPT, None), ("exemplar", 2, F.TYPE_MESSAGE, OPT, "Exemplar"),
                        ("created_timestamp", 3, F.TYPE_MESSAGE, OPT, ts)])
    message("Bucket", [("cumulative_count", 1, F.TYPE_UINT64, OPT, None), ("cumulative_count_float", 4, F.TYPE_DOUBLE, OPT, None),
                       ("upper_bound", 2, F.TYPE_DOUBLE, OPT, None), ("exemplar", 3, F.TYPE_MESSAGE, OPT, "Exemplar")])
    message("BucketSpan", [("offset", 1, F.TYPE_SINT32, OPT, None), ("length", 2, F.TYPE_UINT32, OPT, None)])
    message("Histogram", [
        ("sample_count", 1, F.TYPE_UINT64, OPT, None), ("sample_count_float", 4, F.TYPE_DOUBLE, OPT, None),
        ("sample_sum", 2, F.TYPE_DOUBLE, OPT, None), ("bucket", 3, F.TYPE_MESSAGE, REP, "Bucket"),
        ("created_timestamp", 15, F.TYPE_MESSAGE, OPT, ts),
        ("schema", 5, F.TYPE_SINT32, OPT, None), ("zero_threshold", 6, F.TYPE_DOUBLE, OPT, None),
        ("zero_count", 7, F.TYPE_UINT64, OPT, None), ("zero_count_float", 8, F.TYPE_DOUBLE, OPT, None),
        ("negative_span", 9, F.TYPE_MESSAGE, REP, "BucketSpan"), ("negative_delta", 10, F.TYPE_SINT64, REP, None),
        ("negative_count", 11, F.TYPE_DOUBLE, REP, None),
        ("positive_span", 12, F.TYPE_MESSAGE, REP, "BucketSpan"), ("positive_delta", 13, F.TYPE_SINT64, REP, None),
        ("positive_count", 14, F.TYPE_DOUBLE, REP, None),
        ("exemplars", 16, F.TYPE_MESSAGE, REP, "Exemplar"),
    ])
    message("Metric", [("label", 1, F.TYPE_MESSAGE, REP, "LabelPair"), ("gauge", 2, F.TYPE_MESSAGE, OPT, "Gauge"),
                       ("counter", 3, F.TYPE_MESSAGE, OPT, "Counter"), ("histogram", 7, F.TYPE_MESSAGE, OPT, "Histogram"),
                       ("timestamp_ms", 6, F.TYPE_INT64, OPT, None)])
    message("MetricFamily", [("name", 1, F.TYPE_STRING, OPT, None), ("help", 2, F.TYPE_STRING, OPT, None),
                             ("type", 3, F.TYPE_ENUM, OPT, ".io.prometheus.client.MetricType"),
                             ("metric", 4, F.TYPE_MESSAGE, REP, "Metric"), ("unit", 5, F.TYPE_STRING, OPT, None)])
    enum = f.enum_type.add(name="MetricType")
    for name, number in [("COUNTER", 0), ("GAUGE", 1), ("SUMMARY", 2), ("UNTYPED", 3), ("HISTOGRAM", 4), ("GAUGE_HISTOGRAM", 5)]:
        enum.value.add(name=name, number=number)

    pool = descriptor_pool.DescriptorPool()
    from google.protobuf import timestamp_pb2
    pool.AddSerializedFile(timestamp_pb2.DESCRIPTOR.serialized_pb)
    pool.Add(f)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("io.prometheus.client.MetricFamily"))


def decode(data, cls):
    families, pos = [], 0
    while pos < len(data):
        length, pos = _DecodeVarint32(data, pos)
        mf = cls()
        mf.ParseFromString(data[pos:pos + length])
        pos += length
        families.append(mf)
    return families


TYPES = {0: "counter", 1: "gauge", 4: "histogram"}


def native_buckets(spans, deltas):
    """{prometheus bucket index: count} from spans and deltas; raises on a malformed encoding."""
    out, index, count, k = {}, 0, 0, 0
    for i, span in enumerate(spans):
        index = span.offset if i == 0 else index + span.offset
        for _ in range(span.length):
            count += deltas[k]
            k += 1
            out[index] = count
            index += 1
    if k != len(deltas):
        raise ValueError("%d deltas for spans of %d buckets" % (len(deltas), k))
    return out


def labels_key(pairs):
    return tuple(sorted(pairs))


def main():
    data = open(sys.argv[1], "rb").read()
    text = open(sys.argv[2]).read()
    ignored = sys.argv[3] if len(sys.argv) > 3 else None
    cls = build_classes()
    mismatches = []
    out = {}
    proto_samples = {}
    for mf in decode(data, cls):
        if ignored and mf.name.startswith(ignored):
            continue
        kind = TYPES.get(mf.type, str(mf.type))
        series = []
        for m in mf.metric:
            labels = [(l.name, l.value) for l in m.label]
            entry = {"labels": dict(labels)}
            if kind == "counter":
                entry["value"] = m.counter.value
                proto_samples[(mf.name, labels_key(labels))] = m.counter.value
                if m.counter.HasField("exemplar"):
                    entry["exemplar"] = {l.name: l.value for l in m.counter.exemplar.label}
            elif kind == "gauge":
                entry["value"] = m.gauge.value
                proto_samples[(mf.name, labels_key(labels))] = m.gauge.value
            elif kind == "histogram":
                h = m.histogram
                entry["count"], entry["sum"] = h.sample_count, h.sample_sum
                proto_samples[(mf.name + "_count", labels_key(labels))] = float(h.sample_count)
                proto_samples[(mf.name + "_sum", labels_key(labels))] = h.sample_sum
                entry["buckets"] = [[b.upper_bound, b.cumulative_count] for b in h.bucket]
                for b in h.bucket:
                    proto_samples[(mf.name + "_bucket", labels_key(labels + [("le", repr(float(b.upper_bound)))]))] = float(b.cumulative_count)
                is_native = len(h.positive_span) > 0 or len(h.negative_span) > 0 or h.zero_threshold > 0
                if is_native:
                    try:
                        pos = native_buckets(h.positive_span, h.positive_delta)
                        neg = native_buckets(h.negative_span, h.negative_delta)
                    except ValueError as e:
                        mismatches.append("%s %s: %s" % (mf.name, labels, e))
                        pos, neg = {}, {}
                    total = h.zero_count + sum(pos.values()) + sum(neg.values())
                    if total != h.sample_count:
                        mismatches.append("%s %s: zero count + buckets = %d, count = %d" % (mf.name, labels, total, h.sample_count))
                    if any(c < 0 for c in list(pos.values()) + list(neg.values())):
                        mismatches.append("%s %s: a negative bucket count" % (mf.name, labels))
                    entry["native"] = {"schema": h.schema, "zero_threshold": h.zero_threshold, "zero_count": h.zero_count,
                                       "positive": {str(k): v for k, v in pos.items()},
                                       "negative": {str(k): v for k, v in neg.items()},
                                       "exemplars": len(h.exemplars)}
            series.append(entry)
        out[mf.name] = {"type": kind, "help": mf.help, "series": series}

    # The text exposition, parsed by prometheus_client: every sample must have the same value in
    # the protobuf exposition (the +Inf bucket is the count there), and every protobuf sample a
    # text sample.
    text_samples = {}
    for fam in text_string_to_metric_families(text):
        if ignored and fam.name.startswith(ignored):
            continue
        for s in fam.samples:
            labels = dict(s.labels)
            if s.name.endswith("_bucket") and labels.get("le") == "+Inf":
                continue
            if "le" in labels:
                labels["le"] = repr(float(labels["le"]))
            text_samples[(s.name, labels_key(labels.items()))] = s.value
    for key, value in text_samples.items():
        if key not in proto_samples:
            mismatches.append("text sample %s %s missing from the protobuf exposition" % key)
        elif not (proto_samples[key] == value or (math.isnan(value) and math.isnan(proto_samples[key]))):
            mismatches.append("%s %s: text %r, protobuf %r" % (key[0], key[1], value, proto_samples[key]))
    for key in proto_samples:
        if key not in text_samples:
            mismatches.append("protobuf sample %s %s missing from the text exposition" % key)
    print(json.dumps({"families": out, "mismatches": mismatches, "text_samples": len(text_samples)}))
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()

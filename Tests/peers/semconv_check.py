#!/usr/bin/env python3
"""Checks recorded OTLP exports against the official OpenTelemetry semantic conventions.

Reads the JSON lines an otlp_receiver.py run wrote (each accepted request in MessageToDict form),
rebuilds every request with the official opentelemetry-proto classes, and checks it against the
pinned `opentelemetry-semantic-conventions` package (Tests/peers/requirements.txt):

  * `schema_url` on every ResourceMetrics and ScopeMetrics is the package's newest schema;
  * every `gen_ai.*` / `mcp.*` metric the package defines has the package's name, instrument kind
    and unit; every metric has a unit;
  * every attribute key under a convention namespace (`gen_ai.`, `error.`, `server.`, `mcp.`, ...)
    exists in the package, and no key is the underscore spelling of a key the package defines
    (`gen_ai_request_model` instead of `gen_ai.request.model`);
  * no attribute value is empty;
  * values of `gen_ai.operation.name`, `gen_ai.provider.name` and `gen_ai.token.type` are the
    package's enum members, or listed as extensions in docs/PRODUCTION_METRICS.md (a line
    "- `gen_ai.provider.name`: `a`, `b`" under the heading "### Enum extensions").

Prints one JSON object (schema_url, metrics checked, attribute keys seen, problems) and exits 1
when there is a problem.
"""
import argparse
import importlib
import json
import pkgutil
import re
import sys

from google.protobuf.json_format import ParseDict
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
import opentelemetry.semconv.attributes as stable_attributes
import opentelemetry.semconv._incubating.attributes as incubating_attributes
import opentelemetry.semconv._incubating.metrics as incubating_metrics
from opentelemetry.semconv.schemas import Schemas

ENUMS = {
    "gen_ai.operation.name": "GenAiOperationNameValues",
    "gen_ai.provider.name": "GenAiProviderNameValues",
    "gen_ai.token.type": "GenAiTokenTypeValues",
}
CHECKED_METRIC_MODULES = ("gen_ai_metrics", "mcp_metrics")


class RecordingMeter:
    """Stands in for a Meter: the package's create_* functions tell it kind, name and unit."""

    def __getattr__(self, kind):
        def create(name, description="", unit="", **_):
            return {"kind": kind.replace("create_", ""), "name": name, "unit": unit}
        return create


def package_attributes():
    keys, enums = set(), {}
    for package in (stable_attributes, incubating_attributes):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(package.__name__ + "." + info.name)
            for name in dir(module):
                value = getattr(module, name)
                if name.isupper() and isinstance(value, str) and "." in value:
                    keys.add(value)
                for key, cls in ENUMS.items():
                    if name == cls:
                        enums[key] = {member.value for member in value}
    return keys, enums


def package_metrics():
    defined = {}
    meter = RecordingMeter()
    for module_name in CHECKED_METRIC_MODULES:
        module = importlib.import_module(incubating_metrics.__name__ + "." + module_name)
        for name in dir(module):
            if name.startswith("create_"):
                spec = getattr(module, name)(meter)
                defined[spec["name"]] = spec
    return defined


def documented_extensions(path):
    extensions = {}
    if not path:
        return extensions
    in_section = False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                in_section = line.strip().lower() == "### enum extensions"
                continue
            m = re.match(r"- `([a-z_.]+)`: (.*)", line.strip()) if in_section else None
            if m:
                extensions.setdefault(m.group(1), set()).update(re.findall(r"`([^`]+)`", m.group(2)))
    return extensions


def attributes(entries):
    out = []
    for kv in entries:
        which = kv.value.WhichOneof("value")
        out.append((kv.key, getattr(kv.value, which) if which else None))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("records", help="the otlp_receiver.py output file")
    parser.add_argument("--docs", help="docs/PRODUCTION_METRICS.md, for documented enum extensions")
    args = parser.parse_args()

    keys, enums = package_attributes()
    underscore_of = {key.replace(".", "_"): key for key in keys}
    namespaces = {key.split(".", 1)[0] for key in keys}
    defined = package_metrics()
    extensions = documented_extensions(args.docs)
    schema_url = max(Schemas, key=lambda s: tuple(int(p) for p in s.value.rsplit("/", 1)[1].split("."))).value

    problems, metrics_seen, keys_seen, requests = [], {}, set(), 0

    def problem(text):
        if text not in problems:
            problems.append(text)

    with open(args.records, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if "request" not in record or record.get("status") != 200 or record.get("hostile"):
                continue
            request = ParseDict(record["request"], ExportMetricsServiceRequest())
            requests += 1
            for rm in request.resource_metrics:
                if rm.schema_url != schema_url:
                    problem(f"ResourceMetrics.schema_url is {rm.schema_url!r}, not {schema_url!r}")
                for sm in rm.scope_metrics:
                    if sm.schema_url != schema_url:
                        problem(f"ScopeMetrics.schema_url is {sm.schema_url!r}, not {schema_url!r}")
                    for metric in sm.metrics:
                        kind = metric.WhichOneof("data")
                        metrics_seen[metric.name] = {"kind": kind, "unit": metric.unit}
                        if not metric.unit:
                            problem(f"{metric.name}: no unit")
                        spec = defined.get(metric.name)
                        if spec:
                            expected_kinds = {"histogram": ("histogram", "exponential_histogram"),
                                              "counter": ("sum",), "up_down_counter": ("sum",),
                                              "gauge": ("gauge",)}.get(spec["kind"], (spec["kind"],))
                            if kind not in expected_kinds:
                                problem(f"{metric.name}: sent as {kind}, the conventions define a {spec['kind']}")
                            if metric.unit != spec["unit"]:
                                problem(f"{metric.name}: unit {metric.unit!r}, the conventions say {spec['unit']!r}")
                        for point in getattr(metric, kind).data_points:
                            for key, value in attributes(point.attributes):
                                keys_seen.add(key)
                                if value == "":
                                    problem(f"{metric.name}: attribute {key} has an empty value")
                                if key in underscore_of:
                                    problem(f"{metric.name}: attribute {key!r} is the underscore spelling of {underscore_of[key]!r}")
                                if "." in key and key.split(".", 1)[0] in namespaces and key not in keys:
                                    problem(f"{metric.name}: attribute {key!r} is in a convention namespace but not in the conventions")
                                if key in enums and value not in enums[key] and value not in extensions.get(key, set()):
                                    problem(f"{metric.name}: {key}={value!r} is neither a value of the conventions "
                                            f"nor a documented extension")
    if requests == 0:
        problem("no accepted request was recorded")
    print(json.dumps({"schema_url": schema_url, "requests": requests,
                      "metrics": {name: metrics_seen[name] for name in sorted(metrics_seen)},
                      "conventions_metrics_checked": sorted(set(metrics_seen) & set(defined)),
                      "attribute_keys": sorted(keys_seen), "problems": problems}, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

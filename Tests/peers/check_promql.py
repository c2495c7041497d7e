#!/usr/bin/env python3
"""Checks the monitoring assets against the metric catalog.

Every PromQL expression in the Prometheus rule files, the Grafana dashboards (panel targets and
template-variable queries) and the Kubernetes PrometheusRule manifests is parsed with the PyPI
`promql-parser` package; every metric name it selects must be

  * a metric of docs/metric-catalog.json (histograms also as _bucket, _sum, _count),
  * a recording rule defined in configs/prometheus/recording_rules.yml, or
  * an external metric on the short allow-list below.

It also checks the structure the issue asks for: dashboard panel counts and datasource variable,
alert labels and annotations, runbook anchors, one firing and one silent unit test per alert, a unit
test over two or more instances for every recording rule (its fleet behaviour), that the
Kubernetes PrometheusRule embeds exactly the rule groups of the rule files, and that the
ServiceMonitor and PodMonitor find the Deployment's pods and give them the labels the rules use.

Usage: check_promql.py [--root REPO] [--extra-rules FILE ...]
Exit status 0 when everything holds, 1 with one line per problem otherwise.
"""
import argparse
import glob
import json
import os
import re
import sys

import promql_parser
import yaml

# Metrics that are not ours but that the assets may use, documented in configs/README.md.
EXTERNAL_EXACT = {"up", "ALERTS", "ALERTS_FOR_STATE"}
EXTERNAL_PREFIXES = ("node_", "container_")

# Panels per dashboard file, as issue 8 specifies.
EXPECTED_PANELS = {
    "agent-overview.json": 19,
    "agent-performance.json": 9,
    "agent-verticals.json": 21,
    "agent-errors.json": 10,
}
MIN_ALERTS = 18
MIN_RECORDING_RULES = 30
SEVERITIES = {"critical", "warning", "info"}


class Checker:
    def __init__(self, root):
        self.root = root
        self.problems = []
        self.expressions = 0
        self.known = set()
        self.records = set()

    def problem(self, where, message):
        self.problems.append(f"{os.path.relpath(where, self.root) if os.path.isabs(where) else where}: {message}")

    # -- names -----------------------------------------------------------------------------------
    def load_catalog(self):
        path = os.path.join(self.root, "docs", "metric-catalog.json")
        with open(path) as f:
            catalog = json.load(f)
        for metric in catalog["metrics"]:
            name = metric["name"]
            self.known.add(name)
            if metric["type"] == "histogram":
                self.known.update({name + "_bucket", name + "_sum", name + "_count"})

    def load_records(self, path):
        for group in load_yaml(path).get("groups", []):
            for rule in group.get("rules", []):
                if "record" in rule:
                    self.records.add(rule["record"])

    def name_allowed(self, name):
        return (name in self.known or name in self.records or name in EXTERNAL_EXACT
                or name.startswith(EXTERNAL_PREFIXES))

    # -- expressions -----------------------------------------------------------------------------
    def check_expr(self, where, context, expr):
        self.expressions += 1
        text = grafana_to_promql(expr)
        try:
            tree = promql_parser.parse(text)
        except Exception as error:  # the parser raises ValueError with its own message
            self.problem(where, f"{context}: does not parse: {error}\n    expr: {expr.strip()}")
            return
        for name in selected_names(tree):
            if not self.name_allowed(name):
                self.problem(where, f"{context}: unknown metric '{name}' (not in docs/metric-catalog.json, "
                                    f"not a recording rule, not allow-listed)\n    expr: {expr.strip()}")

    def check_rule_file(self, path, groups=None, is_main=False):
        if groups is None:
            groups = load_yaml(path).get("groups", [])
        alerts, records = [], []
        for group in groups:
            for rule in group.get("rules", []):
                name = rule.get("alert") or rule.get("record") or "?"
                self.check_expr(path, f"rule {name}", str(rule.get("expr", "")))
                (alerts if "alert" in rule else records).append(rule)
        for rule in alerts:
            self.check_alert(path, rule)
        return alerts, records

    def check_alert(self, path, rule):
        name = rule["alert"]
        labels = rule.get("labels") or {}
        annotations = rule.get("annotations") or {}
        if labels.get("severity") not in SEVERITIES:
            self.problem(path, f"alert {name}: severity label missing or not one of {sorted(SEVERITIES)}")
        for key in ("summary", "description", "runbook_url"):
            if not annotations.get(key):
                self.problem(path, f"alert {name}: annotation '{key}' missing")
        if "$value" not in str(annotations.get("summary", "")) + str(annotations.get("description", "")):
            self.problem(path, f"alert {name}: neither summary nor description shows {{{{ $value }}}}")
        url = str(annotations.get("runbook_url", ""))
        match = re.fullmatch(r"(?:.*/)?docs/runbooks\.md#([A-Za-z0-9_-]+)", url)
        if not match:
            self.problem(path, f"alert {name}: runbook_url '{url}' does not point into docs/runbooks.md#<anchor>")
        elif match.group(1) not in self.anchors:
            self.problem(path, f"alert {name}: runbook anchor '#{match.group(1)}' not found in docs/runbooks.md")

    # -- dashboards ------------------------------------------------------------------------------
    def check_dashboard(self, path):
        with open(path) as f:
            dashboard = json.load(f)
        variables = dashboard.get("templating", {}).get("list", [])
        if not any(v.get("name") == "datasource" and v.get("type") == "datasource" and v.get("query") == "prometheus"
                   for v in variables):
            self.problem(path, "no template variable 'datasource' of type datasource with query 'prometheus'")
        for variable in variables:
            if variable.get("type") != "query":
                continue
            query = variable.get("query")
            if isinstance(query, dict):
                query = query.get("query", "")
            for expr in variable_promql(str(query or "")):
                self.check_expr(path, f"variable ${variable.get('name')}", expr)
        panels = list(walk_panels(dashboard.get("panels", [])))
        expected = EXPECTED_PANELS.get(os.path.basename(path))
        if expected is not None and len(panels) != expected:
            self.problem(path, f"has {len(panels)} panels, expected {expected}")
        for panel in panels:
            title = panel.get("title", "?")
            targets = panel.get("targets") or []
            if not targets:
                self.problem(path, f"panel '{title}': no query targets")
            if not (panel.get("fieldConfig", {}).get("defaults", {}).get("unit")):
                self.problem(path, f"panel '{title}': no unit in fieldConfig.defaults")
            datasource = panel.get("datasource") or {}
            if datasource.get("uid") != "${datasource}":
                self.problem(path, f"panel '{title}': datasource is not the ${{datasource}} variable")
            for target in targets:
                if not target.get("expr"):
                    self.problem(path, f"panel '{title}' target {target.get('refId')}: empty expr")
                    continue
                self.check_expr(path, f"panel '{title}' target {target.get('refId')}", target["expr"])
                if target.get("exemplar"):
                    self.check_exemplar_target(path, title, target["expr"])
        return len(panels)

    def check_exemplar_target(self, path, title, expr):
        """Prometheus returns exemplars only for the raw series a query selects: an exemplar target
        must read a histogram's `_bucket` series (or a counter), never a recording rule."""
        self.exemplar_targets += 1
        try:
            names = selected_names(promql_parser.parse(grafana_to_promql(expr)))
        except Exception:
            return  # reported by check_expr
        if any(":" in n for n in names):
            self.problem(path, f"panel '{title}': exemplars enabled on a recording rule ({sorted(names)}), which has none")
        elif not any(n.endswith("_bucket") or n.endswith("_total") for n in names):
            self.problem(path, f"panel '{title}': exemplars enabled but no _bucket or _total series selected ({sorted(names)})")

    # -- unit tests of the alerts ----------------------------------------------------------------
    def check_alert_tests(self, alert_names, test_files):
        firing, silent = set(), set()
        for path in test_files:
            for test in load_yaml(path).get("tests", []) or []:
                for case in test.get("alert_rule_test", []) or []:
                    (firing if case.get("exp_alerts") else silent).add(case.get("alertname"))
        for name in alert_names:
            if name not in firing:
                self.problem("configs/prometheus/tests", f"alert {name}: no unit test where it fires")
            if name not in silent:
                self.problem("configs/prometheus/tests", f"alert {name}: no unit test where it stays silent")

    # -- fleet coverage of the recording rules ------------------------------------------------------
    def check_fleet_tests(self, record_names, test_files):
        """Every recording rule is evaluated, with at least one expected sample, in a unit test whose
        input has two or more replicas (distinct `instance` values): its fleet behaviour is tested."""
        covered = set()
        for path in test_files:
            for test in load_yaml(path).get("tests", []) or []:
                instances = set()
                for series in test.get("input_series", []) or []:
                    instances.update(re.findall(r'\binstance="([^"]*)"', str(series.get("series", ""))))
                if len(instances) < 2:
                    continue
                for case in test.get("promql_expr_test", []) or []:
                    if not case.get("exp_samples"):
                        continue
                    try:
                        covered.update(selected_names(promql_parser.parse(str(case.get("expr", "")))))
                    except Exception:
                        pass  # reported by promtool itself
        for name in record_names:
            if name not in covered:
                self.problem("configs/prometheus/tests",
                             f"recording rule {name}: no unit test evaluates it over two or more instances")

    # -- Kubernetes: the monitors find the Deployment's pods and label them the way the rules expect --
    def check_kubernetes(self, manifests):
        docs = []
        for path in manifests:
            with open(path) as f:
                docs += [(path, d) for d in yaml.safe_load_all(f) if isinstance(d, dict)]
        def of(kind):
            return [(p, d) for p, d in docs if d.get("kind") == kind]
        deployments, services = of("Deployment"), of("Service")
        monitors = of("ServiceMonitor") + of("PodMonitor")
        if not deployments or not of("ServiceMonitor") or not of("PodMonitor"):
            self.problem("configs/kubernetes", "expected a Deployment, a ServiceMonitor and a PodMonitor")
            return
        for dpath, deployment in deployments:
            namespace = deployment["metadata"].get("namespace", "default")
            spec = deployment.get("spec", {})
            pod_labels = spec.get("template", {}).get("metadata", {}).get("labels", {}) or {}
            if (spec.get("replicas") or 1) < 2:
                self.problem(dpath, "the Deployment should run several replicas")
            if not selects(spec.get("selector", {}).get("matchLabels", {}), pod_labels):
                self.problem(dpath, "the Deployment's selector does not match its pod template")
            ports = {port.get("name"): port.get("containerPort")
                     for container in spec.get("template", {}).get("spec", {}).get("containers", [])
                     for port in container.get("ports", [])}
            for spath, service in services:
                if service["metadata"].get("namespace") == namespace and not selects(service["spec"].get("selector", {}), pod_labels):
                    self.problem(spath, f"Service {service['metadata']['name']} does not select the pods of {os.path.relpath(dpath, self.root)}")
                for port in service["spec"].get("ports", []):
                    if ports.get(port.get("targetPort")) is None and port.get("targetPort") not in ports.values():
                        self.problem(spath, f"Service port {port.get('name')} targets no container port of {os.path.relpath(dpath, self.root)}")
            for mpath, monitor in monitors:
                kind, mspec = monitor["kind"], monitor.get("spec", {})
                if namespace not in mspec.get("namespaceSelector", {}).get("matchNames", [namespace]):
                    self.problem(mpath, f"{kind} does not look in namespace {namespace}")
                if kind == "PodMonitor":
                    if not selects(mspec.get("selector", {}).get("matchLabels", {}), pod_labels):
                        self.problem(mpath, f"PodMonitor does not select the pods of {os.path.relpath(dpath, self.root)}")
                    endpoints = mspec.get("podMetricsEndpoints", [])
                else:
                    if not any(selects(mspec.get("selector", {}).get("matchLabels", {}), svc["metadata"].get("labels", {}))
                               for _, svc in services):
                        self.problem(mpath, "ServiceMonitor selects no Service")
                    endpoints = mspec.get("endpoints", [])
                for endpoint in endpoints:
                    if kind == "PodMonitor" and endpoint.get("port") not in ports:
                        self.problem(mpath, f"PodMonitor port {endpoint.get('port')} is not a container port of {os.path.relpath(dpath, self.root)}")
                    self.check_monitor_relabelings(mpath, kind, endpoint.get("relabelings", []), pod_labels)

    def check_monitor_relabelings(self, path, kind, relabelings, pod_labels):
        targets = {r.get("targetLabel"): r for r in relabelings if r.get("action", "replace").lower() == "replace"}
        if targets.get("job", {}).get("replacement") != "agent":
            self.problem(path, f"{kind} does not set job=agent, which the rules select")
        for label in ("service", "deployment_environment"):
            rule = targets.get(label)
            sources = (rule or {}).get("sourceLabels", [])
            meta = {"__meta_kubernetes_pod_label_" + re.sub(r"[^A-Za-z0-9_]", "_", k) for k in pod_labels}
            if not rule or not sources or not all(s in meta for s in sources):
                self.problem(path, f"{kind} does not set the fleet label {label} from a label of the pods")
        if not any(r.get("action", "").lower() == "labeldrop" and re.fullmatch(r.get("regex", ""), "endpoint")
                   for r in relabelings):
            self.problem(path, f"{kind} keeps the target label 'endpoint', which collides with agent_requests_total's")

    def run(self, extra_rules):
        self.load_catalog()
        prom = os.path.join(self.root, "configs", "prometheus")
        recording = os.path.join(prom, "recording_rules.yml")
        alerting = os.path.join(prom, "alerting_rules.yml")
        self.load_records(recording)
        self.anchors = markdown_anchors(os.path.join(self.root, "docs", "runbooks.md"))

        _, records = self.check_rule_file(recording)
        alerts, _ = self.check_rule_file(alerting)
        for path in extra_rules:
            self.check_rule_file(os.path.abspath(path))
        if len(alerts) < MIN_ALERTS:
            self.problem(alerting, f"{len(alerts)} alerts, expected at least {MIN_ALERTS}")
        if len(records) < MIN_RECORDING_RULES:
            self.problem(recording, f"{len(records)} recording rules, expected at least {MIN_RECORDING_RULES}")
        for rule in records:
            if not re.fullmatch(r"[a-z_]+:[a-z0-9_]+:[a-z0-9_]+", rule["record"]):
                self.problem(recording, f"recording rule {rule['record']}: not named level:metric:operations")
        test_files = sorted(glob.glob(os.path.join(prom, "tests", "*.yml")))
        self.check_alert_tests([a["alert"] for a in alerts], test_files)
        self.check_fleet_tests([r["record"] for r in records], test_files)

        dashboards = sorted(glob.glob(os.path.join(self.root, "configs", "grafana", "dashboards", "*.json")))
        for name in EXPECTED_PANELS:
            if not any(os.path.basename(d) == name for d in dashboards):
                self.problem(os.path.join(self.root, "configs", "grafana", "dashboards", name), "missing")
        self.exemplar_targets = 0
        for path in dashboards:
            self.check_dashboard(path)
        if self.exemplar_targets == 0:
            self.problem(os.path.join(self.root, "configs", "grafana", "dashboards"),
                         "no latency panel has exemplars enabled (a target with \"exemplar\": true on a _bucket series)")

        file_groups = load_yaml(recording)["groups"] + load_yaml(alerting)["groups"]
        manifests = sorted(glob.glob(os.path.join(self.root, "configs", "kubernetes", "*.yml")) +
                           glob.glob(os.path.join(self.root, "configs", "kubernetes", "*.yaml")))
        prometheus_rules = 0
        for path in manifests:
            with open(path) as f:
                for document in yaml.safe_load_all(f):
                    if not isinstance(document, dict) or document.get("kind") != "PrometheusRule":
                        continue
                    prometheus_rules += 1
                    groups = document.get("spec", {}).get("groups", [])
                    self.check_rule_file(path, groups)
                    if normalise(groups) != normalise(file_groups):
                        self.problem(path, "PrometheusRule groups differ from configs/prometheus/*_rules.yml "
                                           "(regenerate it, see configs/README.md)")
        if prometheus_rules == 0:
            self.problem("configs/kubernetes", "no PrometheusRule manifest found")
        self.check_kubernetes(manifests)
        return not self.problems


# -- helpers ---------------------------------------------------------------------------------------
def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f) or {}


def selects(selector, labels):
    """Whether a matchLabels selector (non-empty) matches a label set."""
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def normalise(groups):
    """Rule groups compared by content, ignoring YAML formatting of the expressions."""
    out = []
    for group in groups:
        rules = []
        for rule in group.get("rules", []):
            rule = dict(rule)
            rule["expr"] = " ".join(str(rule.get("expr", "")).split())
            rules.append(rule)
        out.append({**group, "rules": rules})
    return out


def walk_panels(panels):
    for panel in panels:
        if panel.get("type") == "row":
            yield from walk_panels(panel.get("panels", []))
        else:
            yield panel


GRAFANA_RANGE = re.compile(r"\[\s*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\s*(?::\s*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\s*)?\]")
GRAFANA_VAR_OUTSIDE_STRING = re.compile(r"\$\{?__[A-Za-z_]+\}?")


def grafana_to_promql(expr):
    """Replaces Grafana's interval variables so that the expression is plain PromQL."""
    expr = GRAFANA_RANGE.sub("[5m]", expr)
    # Any other built-in ($__range_s, $__interval_ms) used as a number.
    return GRAFANA_VAR_OUTSIDE_STRING.sub("1", expr)


def variable_promql(query):
    """The PromQL inside a Grafana Prometheus variable query (label_values, query_result)."""
    query = query.strip()
    match = re.fullmatch(r"label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)", query, re.S)
    if match:
        return [match.group(1)]
    if re.fullmatch(r"label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)", query) or query.startswith(("label_names(", "metrics(")):
        return []
    match = re.fullmatch(r"query_result\((.*)\)", query, re.S)
    if match:
        return [match.group(1)]
    return [query] if query else []


def selected_names(node):
    """Metric names selected anywhere in a parsed expression."""
    names = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, promql_parser.VectorSelector):
            if n.name:
                names.append(n.name)
            for matcher in n.matchers.matchers:
                if matcher.name == "__name__":
                    names.append(matcher.value)
        elif isinstance(n, promql_parser.MatrixSelector):
            stack.append(n.vector_selector)
        elif isinstance(n, promql_parser.BinaryExpr):
            stack += [n.lhs, n.rhs]
        elif isinstance(n, promql_parser.AggregateExpr):
            stack.append(n.expr)
            if n.param is not None:
                stack.append(n.param)
        elif isinstance(n, promql_parser.Call):
            stack += list(n.args)
        elif isinstance(n, (promql_parser.ParenExpr, promql_parser.UnaryExpr, promql_parser.SubqueryExpr)):
            stack.append(n.expr)
    return names


def markdown_anchors(path):
    """GitHub-style heading slugs plus explicit <a id="..."> / <a name="..."> anchors."""
    anchors = set()
    if not os.path.exists(path):
        return anchors
    with open(path) as f:
        text = f.read()
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    anchors.update(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
    return anchors


def main():
    default_root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=default_root, help="repository root")
    parser.add_argument("--extra-rules", nargs="*", default=[], help="more rule files to check")
    args = parser.parse_args()
    checker = Checker(os.path.abspath(args.root))
    ok = checker.run(args.extra_rules)
    for line in checker.problems:
        print("FAIL " + line)
    print(f"checked {checker.expressions} PromQL expressions against {len(checker.known)} catalog names "
          f"and {len(checker.records)} recording rules: {'OK' if ok else f'{len(checker.problems)} problem(s)'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

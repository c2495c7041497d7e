/// Renders the catalog as JSON (for tools) and Markdown (for `docs/PRODUCTION_METRICS.md`).
package enum CatalogDocument {
    /// The catalog as a JSON document: `{"namespace": ..., "metrics": [{name, otlp_name, type,
    /// unit, help, labels, buckets, category, origin, events, label_guidance, promql}]}`.
    /// Keys and entries come in a fixed order so the output is stable.
    ///
    /// With `views`, each entry is the metric as the views leave it: exported name, labels and
    /// buckets, plus `registered_name` when renamed, `dropped_labels`, `cardinality_limit` and
    /// `exported: false` when denied; the document gains `common_labels`.
    package static func json(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all,
                             views: MetricViews? = nil) -> String {
        var out = "{\n  \"namespace\": \(quote(namespace)),\n"
        if let views = views {
            let common = views.commonLabels.sorted { $0.key < $1.key }.map { "\(quote($0.key)): \(quote($0.value))" }
            out += "  \"common_labels\": {\(common.joined(separator: ", "))},\n"
        }
        out += "  \"metrics\": [\n"
        let entries = descriptors.map { d -> String in
            let shaped = Shaped(d, namespace: namespace, views: views)
            var fields: [String] = []
            fields.append("\"name\": \(quote(shaped.name))")
            if views != nil {
                if shaped.name != d.name(namespace: namespace) { fields.append("\"registered_name\": \(quote(d.name(namespace: namespace)))") }
                fields.append("\"exported\": \(!shaped.view.denied)")
            }
            fields.append("\"otlp_name\": \(quote(shaped.otlpName))")
            fields.append("\"type\": \(quote(d.type.rawValue))")
            fields.append("\"unit\": \(d.unit.map { quote($0.ucum) } ?? "null")")
            fields.append("\"help\": \(quote(d.help))")
            fields.append("\"labels\": [\(shaped.labels.map(quote).joined(separator: ", "))]")
            if views != nil && !shaped.dropped.isEmpty {
                fields.append("\"dropped_labels\": [\(shaped.dropped.map(quote).joined(separator: ", "))]")
            }
            fields.append("\"buckets\": [\(shaped.buckets.map(number).joined(separator: ", "))]")
            if let limit = shaped.view.cardinalityLimit { fields.append("\"cardinality_limit\": \(limit)") }
            fields.append("\"category\": \(quote(d.category.rawValue))")
            fields.append("\"origin\": \(quote(d.origin.rawValue))")
            fields.append("\"events\": [\(MetricCatalog.events(driving: d).map(quote).joined(separator: ", "))]")
            let guidance = d.labelNames.compactMap { l in d.labelGuidance[l].map { "\(quote(l)): \(quote($0))" } }
            fields.append("\"label_guidance\": {\(guidance.joined(separator: ", "))}")
            fields.append("\"promql\": \(d.promQL.map { quote(shaped.query($0)) } ?? "null")")
            return "    {" + fields.joined(separator: ", ") + "}"
        }
        out += entries.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// A descriptor as views leave it.
    struct Shaped {
        let view: ResolvedView
        let name: String
        let otlpName: String
        let labels: [String]
        let dropped: [String]
        let buckets: [Double]
        let registeredName: String
        let namespace: String

        init(_ d: MetricDescriptor, namespace: String, views: MetricViews?) {
            self.namespace = namespace
            registeredName = d.name(namespace: namespace)
            let view = views?.resolve(registeredName) ?? ResolvedView()
            self.view = view
            name = view.rename ?? registeredName
            otlpName = view.rename.map { MetricFamilyInfo.deriveOTLPName($0, type: d.type, unit: d.unit) } ?? d.otlpName(namespace: namespace)
            labels = d.labelNames.filter { !view.dropLabels.contains($0) }
            dropped = d.labelNames.filter { view.dropLabels.contains($0) }
            buckets = d.type == .histogram ? (view.buckets ?? d.buckets) : d.buckets
        }

        /// `promQL` under the namespace, with the exported name for a renamed metric.
        func query(_ promQL: String) -> String {
            let q = promQL.replacingNamespace(namespace)
            return name == registeredName ? q : q.replacingAll(registeredName, with: name)
        }
    }

    /// The catalog as Markdown: a section per category with a table of metrics, the PromQL to use
    /// for ratios and quantiles, and cardinality guidance per label.
    package static func markdown(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all,
                                 views: MetricViews? = nil) -> String {
        var out = """
        # Production metrics

        Generated from the metric catalog (`MetricCatalog` in `Sources/AgentTelemetry`, plus each exporter's
        `selfMetrics`, collected by `TelemetryCatalog`); do not edit by hand.
        Regenerate with `swift run agent-telemetry catalog --format markdown > docs/PRODUCTION_METRICS.md`
        (a test fails when this file and the catalog disagree). Names use the default namespace `\(namespace)`.

        Ratios (success rates, hit ratios, pass rates) are not stored as gauges: they are derived from
        counters with an `outcome` or `result` label, in Prometheus by the recording rules in
        `configs/prometheus/recording_rules.yml`. Every label marked free-form is bounded by the
        cardinality limit (2000 series per metric by default): past it, new combinations are
        recorded in one series labelled `otel_metric_overflow="true"`.

        """
        if views == nil { out += viewsGuide }
        if let views {
            out += "\nAs the configuration's views leave the catalog"
            if !views.commonLabels.isEmpty {
                out += "; every series also carries " + views.commonLabels.sorted { $0.key < $1.key }
                    .map { "`\($0.key)=\"\($0.value)\"`" }.joined(separator: ", ")
            }
            out += ".\n"
            let denied = descriptors.map { Shaped($0, namespace: namespace, views: views) }.filter(\.view.denied)
            if !denied.isEmpty {
                out += "\nDenied by a view (not exported): " + denied.map { "`\($0.registeredName)`" }.joined(separator: ", ") + "\n"
            }
        }
        for category in MetricCategory.allCases {
            let entries = descriptors.map { ($0, Shaped($0, namespace: namespace, views: views)) }
                .filter { $0.0.category == category && !$0.1.view.denied }
            guard !entries.isEmpty else { continue }
            out += "\n## \(category.title)\n\n"
            out += "| Metric | Type | Unit | Labels | Driven by | Description |\n"
            out += "|---|---|---|---|---|---|\n"
            for (d, shaped) in entries {
                let events = MetricCatalog.events(driving: d)
                let source = events.isEmpty ? (d.origin == .processSampler ? "process sampler" : "pipeline") : events.map { "`\($0)`" }.joined(separator: ", ")
                var labels = shaped.labels.isEmpty ? "–" : shaped.labels.map { "`\($0)`" }.joined(separator: ", ")
                if !shaped.dropped.isEmpty { labels += " (dropped: " + shaped.dropped.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                let renamed = shaped.name == shaped.registeredName ? "" : " (registered as `\(shaped.registeredName)`)"
                out += "| `\(shaped.name)`\(renamed) | \(d.type.rawValue) | \(d.unit.map { "`\($0.ucum)`" } ?? "–") | \(labels) | \(source) | \(d.help.replacingOccurrencesOfPipe) |\n"
            }
            let buckets = entries.filter { $0.0.type == .histogram }
            if !buckets.isEmpty {
                out += "\nHistogram buckets:\n\n"
                for (_, shaped) in buckets {
                    out += "- `\(shaped.name)`: \(shaped.buckets.map(number).joined(separator: ", "))\n"
                }
            }
            let queries = entries.compactMap { d, shaped in d.promQL.map { (shaped, shaped.query($0)) } }
            if !queries.isEmpty {
                out += "\nPromQL:\n\n"
                for (shaped, q) in queries { out += "- `\(shaped.name)`: `\(q)`\n" }
            }
            let guided = entries.filter { !$0.0.labelGuidance.isEmpty }
            if !guided.isEmpty {
                out += "\nCardinality guidance:\n\n"
                for (d, shaped) in guided {
                    let notes = shaped.labels.compactMap { l in d.labelGuidance[l].map { "`\(l)`: \($0)" } }
                    guard !notes.isEmpty else { continue }
                    out += "- `\(shaped.name)` — \(notes.joined(separator: "; "))\n"
                }
            }
        }
        return out
    }

    /// How views reshape this catalog, one example each (in the generated document).
    static let viewsGuide = """

        ## Views: shaping the catalog without code changes

        Views in the configuration file (`metrics.views`, list order is precedence) change what is
        exported for every exporter at once — Prometheus, OTLP and StatsD read the same registry.
        They are applied once, when a metric is registered; updating a held series costs the same
        with or without them. `agent-telemetry check-config` rejects a view naming a metric that is
        not in this catalog (with a "did you mean"), a rename onto an existing name, labels a metric
        does not have and invalid buckets; `agent-telemetry catalog --config FILE` prints this
        catalog as the views leave it.

        - **Drop a label** (series that differ only in it merge: counters and histograms add up, a
          gauge keeps the last value written to any of them):
          `- {match: agent_provider_requests_total, drop_labels: [model]}`
        - **Deny** metrics by name or glob (`*` any run, `?` one character):
          `- {match: "agent_devops_*", deny: true}`
        - **Allow** a subset: the first view that decides wins, so
          `- {match: "agent_llm_*", allow: true}` then `- {match: "agent_*", deny: true}` keeps the LLM metrics only.
        - **Rename** (exact names only; OTLP gets the new name without `_total` and unit suffix):
          `- {match: agent_tool_executions_total, rename: agent_tool_calls_total}`
        - **Buckets** per histogram (`metrics.buckets: {name: [...]}` is shorthand for this):
          `- {match: agent_tool_execution_duration_seconds, buckets: [0.05, 0.1, 0.5, 1, 5]}`
        - **Cardinality limit** per metric:
          `- {match: agent_provider_requests_total, cardinality_limit: 500}`
        - **Common labels** on every series — Prometheus labels (a metric's own label of the same
          name wins), OTLP resource attributes (a configured resource attribute wins), StatsD
          constant tags (a configured tag wins): `metrics.common_labels: {environment: staging, version: "1.4.2"}`

        For each setting the first matching view that sets it wins; dropped labels add up over all
        matching views. In code: `TelemetryConfiguration.views = MetricViews(commonLabels:views:)`, or
        `MetricRegistry(views:)` for a registry of your own.

        """

    /// `s` as a double-quoted JSON string (every control character escaped). The result is also
    /// a valid YAML double-quoted scalar.
    package static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

extension String {
    func replacingNamespace(_ ns: String) -> String {
        replacingAll("{ns}_", with: ns.isEmpty ? "" : ns + "_")
    }

    /// Every occurrence of `needle` replaced by `replacement`.
    func replacingAll(_ needle: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: needle) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    var replacingOccurrencesOfPipe: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        let n = Array(needle.utf8)
        var i = startIndex
        while i < endIndex {
            if self[i...].utf8.starts(with: n) {
                return i..<(self.utf8.index(i, offsetBy: n.count))
            }
            i = index(after: i)
        }
        return nil
    }
}

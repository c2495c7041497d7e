/// Renders the catalog as JSON (for tools) and Markdown (for `docs/PRODUCTION_METRICS.md`).
package enum CatalogDocument {
    /// The catalog as a JSON document: `{"namespace": ..., "metrics": [{name, otlp_name, type,
    /// unit, help, labels, buckets, category, origin, events, label_guidance, promql}]}`.
    /// Keys and entries come in a fixed order so the output is stable.
    package static func json(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all) -> String {
        var out = "{\n  \"namespace\": \(quote(namespace)),\n  \"metrics\": [\n"
        let entries = descriptors.map { d -> String in
            var fields: [String] = []
            fields.append("\"name\": \(quote(d.name(namespace: namespace)))")
            fields.append("\"otlp_name\": \(quote(d.otlpName(namespace: namespace)))")
            fields.append("\"type\": \(quote(d.type.rawValue))")
            fields.append("\"unit\": \(d.unit.map { quote($0.ucum) } ?? "null")")
            fields.append("\"help\": \(quote(d.help))")
            fields.append("\"labels\": [\(d.labelNames.map(quote).joined(separator: ", "))]")
            fields.append("\"buckets\": [\(d.buckets.map(number).joined(separator: ", "))]")
            fields.append("\"category\": \(quote(d.category.rawValue))")
            fields.append("\"origin\": \(quote(d.origin.rawValue))")
            fields.append("\"events\": [\(MetricCatalog.events(driving: d).map(quote).joined(separator: ", "))]")
            let guidance = d.labelNames.compactMap { l in d.labelGuidance[l].map { "\(quote(l)): \(quote($0))" } }
            fields.append("\"label_guidance\": {\(guidance.joined(separator: ", "))}")
            fields.append("\"promql\": \(d.promQL.map { quote($0.replacingNamespace(namespace)) } ?? "null")")
            return "    {" + fields.joined(separator: ", ") + "}"
        }
        out += entries.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// The catalog as Markdown: a section per category with a table of metrics, the PromQL to use
    /// for ratios and quantiles, and cardinality guidance per label.
    package static func markdown(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all) -> String {
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
        for category in MetricCategory.allCases {
            let entries = descriptors.filter { $0.category == category }
            guard !entries.isEmpty else { continue }
            out += "\n## \(category.title)\n\n"
            out += "| Metric | Type | Unit | Labels | Driven by | Description |\n"
            out += "|---|---|---|---|---|---|\n"
            for d in entries {
                let events = MetricCatalog.events(driving: d)
                let source = events.isEmpty ? (d.origin == .processSampler ? "process sampler" : "pipeline") : events.map { "`\($0)`" }.joined(separator: ", ")
                let labels = d.labelNames.isEmpty ? "–" : d.labelNames.map { "`\($0)`" }.joined(separator: ", ")
                out += "| `\(d.name(namespace: namespace))` | \(d.type.rawValue) | \(d.unit.map { "`\($0.ucum)`" } ?? "–") | \(labels) | \(source) | \(d.help.replacingOccurrencesOfPipe) |\n"
            }
            let buckets = entries.filter { $0.type == .histogram }
            if !buckets.isEmpty {
                out += "\nHistogram buckets:\n\n"
                for d in buckets {
                    out += "- `\(d.name(namespace: namespace))`: \(d.buckets.map(number).joined(separator: ", "))\n"
                }
            }
            let queries = entries.compactMap { d in d.promQL.map { (d, $0.replacingNamespace(namespace)) } }
            if !queries.isEmpty {
                out += "\nPromQL:\n\n"
                for (d, q) in queries { out += "- `\(d.name(namespace: namespace))`: `\(q)`\n" }
            }
            let guided = entries.filter { !$0.labelGuidance.isEmpty }
            if !guided.isEmpty {
                out += "\nCardinality guidance:\n\n"
                for d in guided {
                    let notes = d.labelNames.compactMap { l in d.labelGuidance[l].map { "`\(l)`: \($0)" } }
                    out += "- `\(d.name(namespace: namespace))` — \(notes.joined(separator: "; "))\n"
                }
            }
        }
        return out
    }

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
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: "{ns}_") {
            out += rest[..<r.lowerBound]
            out += ns.isEmpty ? "" : ns + "_"
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

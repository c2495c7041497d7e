import AgentTelemetry
import AgentTelemetryExposition
import AgentTelemetryPrometheus

/// The result of comparing expected Prometheus text with what a registry renders.
///
/// Samples are compared as sets per family: label order, number spelling (`1` and `1.0`) and
/// series order do not matter; the label values, the values and the set of samples do. `# TYPE`
/// lines are compared, and `# HELP` lines when the expected text has them. OpenMetrics
/// `_created` samples are ignored unless the expected text has some for that family; exemplars
/// are compared only when asked (`exemplars: true`; an exemplar's timestamp then counts only in
/// families where the expected text writes one).
public struct ExpositionComparison: Sendable, CustomStringConvertible {
    /// Whether the selected families match.
    public let matches: Bool
    /// One line per difference: `- ` what was expected and is missing, `+ ` what was rendered
    /// and not expected, grouped by family; empty when they match.
    public let diff: String
    /// The selected families as rendered (canonical form: sorted labels), to copy into a test.
    public let actual: String

    /// `matches`, or the diff followed by the rendered families.
    public var description: String {
        matches ? "exposition matches" : "exposition differs:\n\(diff)\nrendered:\n\(actual)"
    }
}

extension MetricRegistry {
    /// Compares `expected` Prometheus text with what this registry renders, for the families
    /// named in `metrics` (by family name, as on the `# TYPE` line; `nil`: those in `expected`).
    /// In the spirit of client_golang's `testutil.CollectAndCompare`.
    ///
    /// Both texts are read by the package's exposition parser, so the expected text must itself
    /// be a valid exposition of `format` (indentation and blank lines aside; OpenMetrics' `# EOF`
    /// may be left out); a broken one shows as a `! expected text:` line of the diff.
    /// With `exemplars: true` each sample's OpenMetrics exemplar (labels, value, timestamp) is part
    /// of what is compared; by default exemplars are ignored.
    ///
    /// ```swift
    /// let result = registry.compareExposition("""
    ///     # TYPE agent_tool_executions_total counter
    ///     agent_tool_executions_total{outcome="success",tool="search",vertical="coding"} 2
    ///     """, metrics: ["agent_tool_executions_total"])
    /// #expect(result.matches, "\(result)")
    /// ```
    public func compareExposition(_ expected: String, metrics: [String]? = nil,
                                  format: ExpositionFormat = .prometheusText,
                                  exemplars: Bool = false) -> ExpositionComparison {
        var bytes: [UInt8] = []
        PrometheusTextEncoder(format: format).encode(registry: self, into: &bytes)
        return ExpositionText.compare(expected: expected, rendered: bytes, metrics: metrics,
                                      dialect: ExpositionText.dialect(format), exemplars: exemplars)
    }

    /// The rendered text of the families named in `metrics`, canonical (labels sorted), for
    /// reading in a failure message or pasting into a test.
    public func exposition(of metrics: [String], format: ExpositionFormat = .prometheusText) -> String {
        var bytes: [UInt8] = []
        PrometheusTextEncoder(format: format).encode(registry: self, into: &bytes)
        let parsed = ExpositionText.parse(bytes, dialect: ExpositionText.dialect(format), exemplars: false)
        return metrics.compactMap { parsed.families[$0]?.canonical(includeCreated: true) }.joined()
    }
}

/// Expositions as sets of canonical sample lines per family, read with the shared parser.
enum ExpositionText {
    struct Sample: Hashable, Comparable {
        var name: String
        var labels: [String: String]
        var value: Double
        /// The exemplar, when exemplars are compared.
        var exemplar: ExpositionExemplar?

        var line: String {
            name + labelText(labels) + " " + format(value) + (exemplar.map(exemplarText) ?? "")
        }

        /// The sample with its exemplar's timestamp left out.
        var withoutExemplarTime: Sample {
            var s = self
            s.exemplar?.timestamp = nil
            return s
        }

        static func < (a: Sample, b: Sample) -> Bool { a.line < b.line }

        static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.labels == b.labels && a.exemplar == b.exemplar
                && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
        }

        func hash(into h: inout Hasher) {
            h.combine(name)
            h.combine(labels)
            h.combine(exemplar)
            h.combine(value.isNaN ? Double.nan.bitPattern : value == 0 ? 0 : value.bitPattern)
        }
    }

    struct Family {
        var name: String
        var type: String?
        var help: String?
        var samples: [Sample] = []

        func canonical(includeCreated: Bool) -> String {
            var out = ""
            if let help { out += "# HELP \(name) \(help)\n" }
            if let type { out += "# TYPE \(name) \(type)\n" }
            for s in samples.sorted() where includeCreated || !s.name.hasSuffix("_created") { out += s.line + "\n" }
            return out
        }
    }

    struct Parsed {
        var families: [String: Family] = [:]
        var order: [String] = []
        var errors: [String] = []
    }

    static func dialect(_ format: ExpositionFormat) -> ExpositionDialect {
        format == .openMetrics ? .openMetrics : .prometheusText
    }

    static func compare(expected: String, rendered: [UInt8], metrics: [String]?,
                        dialect: ExpositionDialect, exemplars: Bool) -> ExpositionComparison {
        let want = parse(expectedText(expected, dialect: dialect), dialect: dialect, exemplars: exemplars)
        let got = parse(rendered, dialect: dialect, exemplars: exemplars)
        let names = metrics ?? want.order
        var diff: [String] = want.errors.map { "! expected text: \($0)" } + got.errors.map { "! rendered text: \($0)" }
        var actual = ""
        for name in names {
            let w = want.families[name]
            let g = got.families[name]
            if let g { actual += g.canonical(includeCreated: false) }
            guard let w else {
                if let g { diff.append("family \(name): not in the expected text; rendered:"); diff += g.samples.sorted().map { "+ \($0.line)" } }
                continue
            }
            guard let g else {
                diff.append("family \(name): not rendered")
                diff += w.samples.sorted().map { "- \($0.line)" }
                continue
            }
            var lines: [String] = []
            if let t = w.type, t != g.type { lines.append("- # TYPE \(name) \(t)"); lines.append("+ # TYPE \(name) \(g.type ?? "(none)")") }
            if let h = w.help, h != g.help { lines.append("- # HELP \(name) \(h)"); lines.append("+ # HELP \(name) \(g.help ?? "(none)")") }
            let keepCreated = w.samples.contains { $0.name.hasSuffix("_created") }
            let wantSet = Set(w.samples)
            // An exemplar's time is compared only where the expected text writes one.
            let keepTime = w.samples.contains { $0.exemplar?.timestamp != nil }
            let gotSet = Set(g.samples.filter { keepCreated || !$0.name.hasSuffix("_created") }
                .map { keepTime ? $0 : $0.withoutExemplarTime })
            lines += wantSet.subtracting(gotSet).sorted().map { "- \($0.line)" }
            lines += gotSet.subtracting(wantSet).sorted().map { "+ \($0.line)" }
            if !lines.isEmpty { diff.append("family \(name):"); diff += lines }
        }
        return ExpositionComparison(matches: diff.isEmpty, diff: diff.joined(separator: "\n"), actual: actual)
    }

    /// The expected text as a document of `dialect`: lines trimmed (it is usually indented in a
    /// test), blank lines dropped, and OpenMetrics' `# EOF` added when left out.
    static func expectedText(_ text: String, dialect: ExpositionDialect) -> [UInt8] {
        var lines = text.split(separator: "\n").map(\.trimmingSpaces).filter { !$0.isEmpty }
        if dialect == .openMetrics, lines.last != "# EOF" { lines.append("# EOF") }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    static func parse(_ bytes: [UInt8], dialect: ExpositionDialect, exemplars: Bool) -> Parsed {
        var p = Parsed()
        let exposition: Exposition
        do {
            exposition = try ExpositionParser.parse(bytes, dialect: dialect)
        } catch {
            p.errors.append(error.description)
            return p
        }
        for family in exposition.families {
            let samples = family.samples.map { s in
                Sample(name: s.name, labels: s.labels, value: s.value,
                       exemplar: exemplars ? s.exemplar : nil)
            }
            p.families[family.name] = Family(name: family.name, type: family.typeDeclared ? family.type.rawValue : nil,
                                             help: family.help, samples: samples)
            p.order.append(family.name)
        }
        return p
    }

    static func exemplarText(_ e: ExpositionExemplar) -> String {
        " # " + labelText(e.labels) + " " + format(e.value) + (e.timestamp.map { " " + format($0) } ?? "")
    }

    static func labelText(_ labels: [String: String]) -> String {
        let l = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escape($0.value))\"" }.joined(separator: ",")
        return l.isEmpty ? "" : "{\(l)}"
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v == .infinity { return "+Inf" }
        if v == -.infinity { return "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    /// A label value escaped as the exposition writes it (the registry's own escaping).
    static func escape(_ s: String) -> String {
        var bytes: [UInt8] = []
        LabelSet.appendEscapedLabelValue(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (indented expected text in a test).
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}

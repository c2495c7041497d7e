import AgentTelemetry
import AgentTelemetryPrometheus

/// The result of comparing expected Prometheus text with what a registry renders.
///
/// Samples are compared as sets per family: label order, number spelling (`1` and `1.0`) and
/// series order do not matter; the label values, the values and the set of samples do. `# TYPE`
/// lines are compared, and `# HELP` lines when the expected text has them. OpenMetrics
/// `_created` samples are ignored unless the expected text has some for that family.
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
    /// ```swift
    /// let result = registry.compareExposition("""
    ///     # TYPE agent_tool_executions_total counter
    ///     agent_tool_executions_total{outcome="success",tool="search",vertical="coding"} 2
    ///     """, metrics: ["agent_tool_executions_total"])
    /// #expect(result.matches, "\(result)")
    /// ```
    public func compareExposition(_ expected: String, metrics: [String]? = nil,
                                  format: ExpositionFormat = .prometheusText) -> ExpositionComparison {
        var bytes: [UInt8] = []
        PrometheusTextEncoder(format: format).encode(registry: self, into: &bytes)
        return ExpositionText.compare(expected: expected, rendered: String(decoding: bytes, as: UTF8.self), metrics: metrics)
    }

    /// The rendered text of the families named in `metrics`, canonical (labels sorted), for
    /// reading in a failure message or pasting into a test.
    public func exposition(of metrics: [String], format: ExpositionFormat = .prometheusText) -> String {
        var bytes: [UInt8] = []
        PrometheusTextEncoder(format: format).encode(registry: self, into: &bytes)
        let parsed = ExpositionText.parse(String(decoding: bytes, as: UTF8.self))
        return metrics.compactMap { parsed.families[$0]?.canonical(includeCreated: true) }.joined()
    }
}

/// A small parser of the text formats, enough to compare expositions.
enum ExpositionText {
    struct Sample: Hashable, Comparable {
        var name: String
        var labels: [String: String]
        var value: Double

        var line: String {
            let l = labels.sorted { $0.key < $1.key }
                .map { "\($0.key)=\"\(escape($0.value))\"" }.joined(separator: ",")
            return name + (l.isEmpty ? "" : "{\(l)}") + " " + format(value)
        }

        static func < (a: Sample, b: Sample) -> Bool { a.line < b.line }

        static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.labels == b.labels && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
        }

        func hash(into h: inout Hasher) {
            h.combine(name)
            h.combine(labels)
            h.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
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

    static func compare(expected: String, rendered: String, metrics: [String]?) -> ExpositionComparison {
        let want = parse(expected)
        let got = parse(rendered)
        let names = metrics ?? want.order
        var diff: [String] = want.errors.map { "! expected text: \($0)" }
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
            let gotSet = Set(g.samples.filter { keepCreated || !$0.name.hasSuffix("_created") })
            lines += wantSet.subtracting(gotSet).sorted().map { "- \($0.line)" }
            lines += gotSet.subtracting(wantSet).sorted().map { "+ \($0.line)" }
            if !lines.isEmpty { diff.append("family \(name):"); diff += lines }
        }
        return ExpositionComparison(matches: diff.isEmpty, diff: diff.joined(separator: "\n"), actual: actual)
    }

    static func parse(_ text: String) -> Parsed {
        var p = Parsed()
        var current: String?
        func family(_ name: String) -> String {
            if p.families[name] == nil {
                p.families[name] = Family(name: name)
                p.order.append(name)
            }
            return name
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingSpaces
            if line.isEmpty || line == "# EOF" { continue }
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                let value = String(rest.dropFirst(name.count).drop { $0 == " " })
                current = family(name)
                if line.hasPrefix("# HELP ") { p.families[name]?.help = value } else { p.families[name]?.type = value }
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let sample = parseSample(line) else {
                p.errors.append("cannot parse \"\(line)\"")
                continue
            }
            let owner: String
            if let c = current, belongs(sample.name, to: c) {
                owner = c
            } else {
                owner = family(baseName(sample.name))
                current = owner
            }
            p.families[owner]?.samples.append(sample)
        }
        return p
    }

    static let suffixes = ["_total", "_bucket", "_sum", "_count", "_created"]

    static func belongs(_ sample: String, to family: String) -> Bool {
        sample == family || suffixes.contains { sample == family + $0 }
    }

    static func baseName(_ sample: String) -> String {
        for s in ["_bucket", "_sum", "_count", "_created"] where sample.hasSuffix(s) {
            return String(sample.dropLast(s.count))
        }
        return sample
    }

    /// `name{a="x",b="y"} value [timestamp]`.
    static func parseSample(_ line: String) -> Sample? {
        let chars = Array(line.unicodeScalars)
        var i = 0
        var name = ""
        while i < chars.count, chars[i] != "{", chars[i] != " " { name.unicodeScalars.append(chars[i]); i += 1 }
        guard !name.isEmpty else { return nil }
        var labels: [String: String] = [:]
        if i < chars.count, chars[i] == "{" {
            i += 1
            while i < chars.count, chars[i] != "}" {
                var key = ""
                while i < chars.count, chars[i] != "=" { if chars[i] != "," && chars[i] != " " { key.unicodeScalars.append(chars[i]) }; i += 1 }
                i += 1
                guard i < chars.count, chars[i] == "\"" else { return nil }
                i += 1
                var value = ""
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": value.append("\n")
                        default: value.unicodeScalars.append(chars[i])
                        }
                    } else {
                        value.unicodeScalars.append(chars[i])
                    }
                    i += 1
                }
                guard i < chars.count else { return nil }
                i += 1
                labels[key] = value
                while i < chars.count, chars[i] == "," || chars[i] == " " { i += 1 }
            }
            guard i < chars.count else { return nil }
            i += 1
        }
        let rest = String(String.UnicodeScalarView(chars[i...])).split(separator: " ")
        guard let first = rest.first, let value = number(first) else { return nil }
        return Sample(name: name, labels: labels, value: value)
    }

    static func number(_ s: Substring) -> Double? {
        switch s {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(s)
        }
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

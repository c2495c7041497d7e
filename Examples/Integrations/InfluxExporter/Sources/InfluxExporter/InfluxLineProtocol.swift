import AgentTelemetry

/// Renders a snapshot as InfluxDB line protocol: one point per series, the family's name as the
/// measurement, its labels as tags, the snapshot's time in nanoseconds.
///
/// - counter, gauge: field `value`
/// - histogram: fields `count` (integer), `sum`, and `le_<bound>` (cumulative integer counts)
///
/// Empty label values are left out (line protocol has no empty tag), and so are non-finite
/// values (InfluxDB refuses them).
public enum InfluxLineProtocol {
    /// The lines of `snapshot`, each ending with a newline.
    public static func render(_ snapshot: MetricsSnapshot) -> String {
        var out = ""
        for family in snapshot.families {
            let measurement = escape(family.info.name, specials: ", ")
            for series in family.series {
                var fields: [String] = []
                switch series.value {
                case .counter(let v), .gauge(let v):
                    if v.isFinite { fields.append("value=\(v)") }
                case .histogram(let h):
                    fields.append("count=\(h.count)i")
                    if h.sum.isFinite { fields.append("sum=\(h.sum)") }
                    for (bound, count) in zip(h.bounds, h.cumulativeCounts) where bound.isFinite {
                        fields.append("le_\(bound)=\(count)i")
                    }
                }
                guard !fields.isEmpty else { continue }
                out += measurement
                for (name, value) in (snapshot.commonLabels.pairs + series.labels.pairs) where !value.isEmpty {
                    out += "," + escape(name, specials: ",= ") + "=" + escape(value, specials: ",= ")
                }
                out += " " + fields.joined(separator: ",") + " \(snapshot.timestampNanoseconds)\n"
            }
        }
        return out
    }

    /// `text` with backslashes, line breaks and `specials` escaped.
    static func escape(_ text: String, specials: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if specials.contains(ch) { out.append("\\") }
                out.append(ch)
            }
        }
        return out
    }
}

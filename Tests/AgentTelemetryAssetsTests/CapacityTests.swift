import AgentTelemetry
import AgentTelemetryRuntime
import Foundation
import Testing

/// The per-replica worst case that the capacity arithmetic of docs/SCALING.md starts from.
@Suite("Capacity figures in docs/SCALING.md")
struct CapacityTests {
    /// The registry's health families, computed at each snapshot from the other families' refusal
    /// counters rather than updated with label values: at most this many series per family.
    static let healthFamilies = ["agent_telemetry_metric_overflow_total": 1, "agent_telemetry_metric_rejected_updates_total": 2]

    /// Series and samples one replica exposes when every labelled family of the catalog has reached
    /// the cardinality limit (`limit` label combinations plus the overflow series); a family without
    /// labels has one series, a health family one or two per catalog family. A histogram series is
    /// its buckets, `+Inf`, `_sum` and `_count`.
    static func worstCase(limit: Int) -> (series: Int, samples: Int) {
        TelemetryCatalog.all.reduce(into: (series: 0, samples: 0)) { total, descriptor in
            let name = descriptor.name(namespace: "agent")
            let series = healthFamilies[name].map { $0 * TelemetryCatalog.all.count }
                ?? (descriptor.labelNames.isEmpty ? 1 : limit + 1)
            total.series += series
            total.samples += series * (descriptor.type == .histogram ? descriptor.buckets.count + 3 : 1)
        }
    }

    @Test("at the default limit, every labelled family stops at 2000 series plus one overflow series")
    func registryStopsAtTheLimit() throws {
        let configuration = TelemetryConfiguration()
        let limit = configuration.cardinalityLimit
        #expect(limit == 2000, "docs/SCALING.md assumes the default limit of 2000")
        let telemetry = try Telemetry(configuration: configuration)
        let families = telemetry.registry.liveView().families.filter { !$0.info.labelNames.isEmpty }
        #expect(families.count >= 40)
        // 50 combinations past the limit: they all land in the overflow series.
        for family in families {
            for k in 0..<(limit + 50) {
                // Values in registered order (opt-in labels included; the registry leaves them out).
                let values = family.registered.labelNames.map { "\($0)-\(k)" }
                switch family {
                case .counter(let f): f.labels(values).increment()
                case .gauge(let f): f.labels(values).set(1)
                case .histogram(let f): f.labels(values).observe(0.1)
                }
            }
        }
        let snapshot = telemetry.registry.snapshot()
        for family in snapshot.families where !family.info.labelNames.isEmpty && Self.healthFamilies[family.info.name] == nil {
            #expect(family.series.count == limit + 1, "\(family.info.name): \(family.series.count) series")
            #expect(family.series.filter { $0.labels["otel_metric_overflow"] == "true" }.count == 1,
                    "\(family.info.name) has no overflow series")
        }
        // The health family reports each family that overflowed once, whatever was written into it.
        let overflow = try #require(snapshot.family(named: "agent_telemetry_metric_overflow_total"))
        #expect(Set(overflow.series.compactMap { $0.labels["metric"] }) == Set(families.map(\.info.name)))
    }

    @Test("docs/SCALING.md states the worst case of the current catalog at the default limit")
    func documentedWorstCase() throws {
        let (series, samples) = Self.worstCase(limit: 2000)
        let doc = try String(contentsOfFile: AssetTools.path("docs/SCALING.md"), encoding: .utf8)
        for figure in ["\(Self.grouped(series)) series", "\(Self.grouped(samples)) samples", "\(TelemetryCatalog.all.count) families"] {
            let stated = doc.contains(figure)
            #expect(stated, "docs/SCALING.md should say \"\(figure)\" (the catalog's worst case at the default limit)")
        }
    }

    /// 118094 → "118,094", as the document writes numbers.
    static func grouped(_ n: Int) -> String {
        var digits = Array(String(n)), out: [Character] = []
        while digits.count > 3 {
            out = [","] + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return String(digits + out)
    }
}

import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryPrometheus

/// Native histograms scraped by a real Prometheus 2.42: with `--enable-feature=native-histograms`
/// it asks for the protobuf exposition and stores the exponential buckets; without the flag it
/// scrapes the text formats and sees the classic buckets of the same metrics.
@Suite("Native histograms in a real Prometheus")
struct NativeHistogramPrometheusTests {
    /// The demo's latency histograms turned native (and kept classic beside, for the scraper
    /// without the flag), at schema 3.
    static let configuration: TelemetryConfiguration = {
        var c = TelemetryConfiguration()
        c.views = MetricViews(views: [
            MetricView(match: "agent_tool_execution_duration_seconds", aggregation: .classicAndNative, schema: 3),
            MetricView(match: "agent_provider_request_duration_seconds", aggregation: .classicAndNative, schema: 3),
        ])
        return c
    }()

    /// Log-uniform values in `low...high`, from a fixed-seed generator (SplitMix64), each passed
    /// through `Duration` as the events carry it.
    static func values(_ count: Int, _ low: Double, _ high: Double, seed: UInt64) -> [Double] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let u = Double(z >> 11) / Double(1 << 53)
            return Duration.seconds(low * Foundation.pow(high / low, u)).seconds
        }
    }

    /// The exact quantile (linear between order statistics) and the ratio spanned by the order
    /// statistics around its rank (how far any rank convention could move it).
    static func exactQuantile(_ q: Double, of sorted: [Double]) -> (value: Double, spread: Double) {
        let h = q * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let value = sorted[lo] + (sorted[hi] - sorted[lo]) * (h - Double(lo))
        let a = sorted[max(lo - 1, 0)], b = sorted[min(hi + 1, sorted.count - 1)]
        return (value, b / a)
    }

    @Test("with native histograms enabled, histogram_quantile lands within the schema's relative error and count and sum are exact; without the flag the classic buckets are scraped",
          .enabled(if: Peers.available(Peers.prometheus, "prometheus")), .timeLimit(.minutes(4)))
    func nativeAndClassic() async throws {
        let tools = Self.values(2000, 0.005, 300, seed: 7)
        let providers = Self.values(1000, 0.05, 60, seed: 11)
        let t = try Telemetry(configuration: Self.configuration).started()
        for v in tools { t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .seconds(v))) }
        for v in providers {
            t.emit(ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .seconds(v), inputTokens: 1, outputTokens: 1))
        }
        await t.flush()
        let rules = repositoryRoot.appendingPathComponent("configs/prometheus/recording_rules.yml").path
        try await withExporter(registry: t.registry) { port in
            let native = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)", ruleFiles: [rules],
                                               extraFlags: ["--enable-feature=native-histograms"])
            let classic = try PrometheusProcess(scrapeTarget: "127.0.0.1:\(port)", ruleFiles: [rules])
            defer {
                native.stop()
                classic.stop()
            }
            let cases: [(metric: String, selector: String, values: [Double])] = [
                ("agent_tool_execution_duration_seconds", "{tool=\"search\"}", tools),
                ("agent_provider_request_duration_seconds", "{provider=\"openai\"}", providers),
            ]
            for (metric, selector, values) in cases {
                let series = metric + selector
                let seen = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
                    (try? await native.query("histogram_count(\(series))")) == Double(values.count)
                }
                #expect(seen, "native histogram_count never reached \(values.count); log: \(native.log())")
                // Prometheus 2.42 keeps the native histogram of a protobuf scrape, not its classic buckets.
                #expect(try await native.query("count(\(metric)_bucket\(selector))") == nil)
                let sum = await native.settledQuery("histogram_sum(\(series))") ?? .nan
                let exactSum = values.reduce(0, +)
                #expect(abs(sum - exactSum) <= 1e-9 * exactSum, "histogram_sum \(sum) vs \(exactSum)")

                // The schema Prometheus stored, read off its bucket boundaries: the ratio of a
                // bucket's upper to its lower bound is the base 2^(2^-schema).
                var raw: [[String: Any]] = []
                _ = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
                    raw = (try? await native.api("/api/v1/query", ["query": series])) ?? []
                    return !raw.isEmpty
                }
                let histogram = (raw.first?["histogram"] as? [Any])?.last as? [String: Any]
                let buckets = histogram?["buckets"] as? [[Any]] ?? []
                let ratios = buckets.compactMap { b -> Double? in
                    guard b.count == 4, let lo = Double(b[1] as? String ?? ""), let hi = Double(b[2] as? String ?? ""), lo > 0 else { return nil }
                    return hi / lo
                }
                try #require(!ratios.isEmpty, "Prometheus returned no native buckets for \(series): \(raw)")
                let base = ratios[0]
                #expect(abs(base - Foundation.pow(2, 1.0 / 8)) < 1e-9, "stored schema is not 3: bucket ratio \(base)")
                #expect(ratios.allSatisfy { abs($0 - base) < 1e-9 })

                let sorted = values.sorted()
                for q in [0.5, 0.9, 0.99] {
                    let estimate = await native.settledQuery("histogram_quantile(\(q), \(series))") ?? .nan
                    let (exact, spread) = Self.exactQuantile(q, of: sorted)
                    let ratio = estimate / exact
                    let bound = base * spread
                    #expect(ratio <= bound && ratio >= 1 / bound,
                            "\(metric) q\(q): estimate \(estimate), exact \(exact), allowed factor \(bound)")
                }
            }

            // The Prometheus without the flag scrapes text and has the classic buckets.
            for (metric, selector, values) in cases {
                // The largest cumulative bucket is the +Inf one.
                let inf = "max(\(metric)_bucket\(selector))"
                let seen = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
                    (try? await classic.query(inf)) == Double(values.count)
                }
                #expect(seen, "classic +Inf bucket never reached \(values.count); log: \(classic.log())")
                let bucketSeries = await classic.settledQuery("count(\(metric)_bucket\(selector))")
                #expect(bucketSeries == Double(Buckets.agentLatency.count + 1))
                let count = await classic.settledQuery("\(metric)_count\(selector)")
                #expect(count == Double(values.count))
            }

            // The shipped recording rule reads the native series on the first server and the
            // classic buckets on the second. Both servers have scraped the first batch; a second
            // batch makes the 5-minute rate, so the rule's p95 is the second batch's.
            let batch = Self.values(600, 0.02, 20, seed: 13)
            for v in batch { t.emit(ToolExecuted(tool: "search", outcome: .success, duration: .seconds(v))) }
            await t.flush()
            let total = Double(tools.count + batch.count)
            for server in [native, classic] {
                let seen = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
                    let n = server === native ? "histogram_count(agent_tool_execution_duration_seconds{tool=\"search\"})"
                        : "agent_tool_execution_duration_seconds_count{tool=\"search\"}"
                    return (try? await server.query(n)) == total
                }
                #expect(seen, "the second batch was not scraped")
            }
            let (exact, spread) = Self.exactQuantile(0.95, of: batch.sorted())
            let rule = "agent:tool_execution_duration_seconds:p95_5m{tool=\"search\"}"
            // Native: within the schema's relative error (the rule is evaluated every second).
            var nativeRule = Double.nan
            let nativeOK = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
                nativeRule = (try? await native.query(rule)) ?? .nan
                let ratio = nativeRule / exact
                return ratio <= Foundation.pow(2, 1.0 / 8) * spread && ratio >= 1 / (Foundation.pow(2, 1.0 / 8) * spread)
            }
            #expect(nativeOK, "native rule p95 \(nativeRule), exact \(exact)")
            // Classic: inside the classic bucket that holds the exact p95.
            let bounds = Buckets.agentLatency
            let upper = bounds.first { $0 >= exact } ?? .infinity
            let lower = bounds.last { $0 < exact } ?? 0
            var classicRule = Double.nan
            let classicOK = await eventually(timeout: .seconds(60), every: .milliseconds(500)) {
                classicRule = (try? await classic.query(rule)) ?? .nan
                return classicRule >= lower && classicRule <= upper
            }
            #expect(classicOK, "classic rule p95 \(classicRule) outside (\(lower), \(upper)] holding the exact \(exact)")
        }
        await t.shutdown()
    }
}

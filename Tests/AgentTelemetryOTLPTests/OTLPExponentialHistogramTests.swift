import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryOTLP

/// Native histograms go over OTLP as `ExponentialHistogram` points, decoded by the official
/// opentelemetry-proto classes: count = zero count + buckets, scale and offset as the values
/// demand (checked against bucket indices computed here from the definition), in both
/// temporalities, across a scale reduction.
@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPExponentialHistogramTests {
    /// OpenTelemetry's bucket index of `v` at `scale`: `ceil(log2(v) · 2^scale) − 1`.
    static func index(_ v: Double, scale: Int) -> Int {
        Int((Foundation.log2(v) * Foundation.pow(2, Double(scale))).rounded(.up)) - 1
    }

    /// Decoded point → (scale, zero count, count, {index: count} of the positive buckets).
    static func decode(_ p: [String: Any]) -> (scale: Int, zero: UInt64, count: UInt64, positive: [Int: UInt64]) {
        let positive = p["positive"] as? [String: Any] ?? [:]
        let offset = (positive["offset"] as? NSNumber)?.intValue ?? 0
        let counts = (positive["bucket_counts"] as? [Any] ?? []).map { UInt64("\($0)") ?? 0 }
        var buckets: [Int: UInt64] = [:]
        for (k, c) in counts.enumerated() where c > 0 { buckets[offset + k] = c }
        return ((p["scale"] as? NSNumber)?.intValue ?? 0, Decoded.uint64(p, "zero_count") ?? 0, Decoded.uint64(p, "count") ?? 0, buckets)
    }

    static func expected(_ values: [Double], scale: Int) -> [Int: UInt64] {
        var out: [Int: UInt64] = [:]
        for v in values where v > 0 { out[index(v, scale: scale), default: 0] += 1 }
        return out
    }

    static func registry() throws -> (MetricRegistry, HistogramSeries) {
        let r = MetricRegistry(views: MetricViews(views: [
            MetricView(match: "wait_seconds", aggregation: .native, maxBuckets: 24, schema: 6),
        ]))
        let series = try r.histogram("wait_seconds", help: "Waits.", unit: .seconds, labelNames: ["queue"]).labels("q")
        return (r, series)
    }

    @Test("cumulative and delta points across a scale reduction: a delta holds only the interval's values, its buckets and scale starting afresh")
    func bothTemporalities() async throws {
        let first = [1.0, 1.01, 1.02, 1.2, 0.0]  // narrow: fits at scale 6
        let second = [0.001, 1000.0, 1.5, 1.5]   // wide: forces the scale down
        let third = [2.0, 2.1, 2.2]              // narrow again: a delta is back at scale 6
        for temporality in [OTLPTemporality.cumulative, .delta] {
            let receiver = try await OTLPReceiver()
            defer { receiver.stop() }
            let (r, series) = try Self.registry()
            let exporter = try OTLPExporter(registry: r, configuration: OTLPExporterConfiguration(
                endpoint: receiver.endpoint, temporality: temporality, timeout: .seconds(120), serviceName: "exp-test"))
            for v in first { series.observe(v) }
            try await exporter.forceFlush()
            for v in second { series.observe(v) }
            try await exporter.forceFlush()
            for v in third { series.observe(v) }
            try await exporter.forceFlush()
            let requests = Decoded.acceptedRequests(await receiver.waitForRecords(3))
            try #require(requests.count == 3)
            var points: [(scale: Int, zero: UInt64, count: UInt64, positive: [Int: UInt64])] = []
            for request in requests {
                let metric = try Decoded.requiredMetric("wait", in: [request])
                let body = try #require(metric["exponential_histogram"] as? [String: Any], "not an exponential histogram: \(metric.keys)")
                let expectedTemporality = temporality == .delta ? "AGGREGATION_TEMPORALITY_DELTA" : "AGGREGATION_TEMPORALITY_CUMULATIVE"
                #expect(body["aggregation_temporality"] as? String == expectedTemporality)
                let point = try Decoded.requiredPoint(metric, ["queue": "q"])
                #expect((point["zero_threshold"] as? NSNumber)?.doubleValue ?? 0 > 0)
                points.append(Self.decode(point))
            }
            for p in points {
                #expect(p.count == p.zero + p.positive.values.reduce(0, +), "count must be zero count + buckets")
                #expect(p.positive.count <= 24)
            }
            // First export: everything so far, at the configured scale (the values fit).
            #expect(points[0].scale == 6)
            #expect(points[0].zero == 1)
            #expect(points[0].positive == Self.expected(first, scale: 6))
            // Second: 12 doublings do not fit 24 buckets at scale 6; the scale went down.
            let scale = points[1].scale
            #expect(scale < 6)
            if temporality == .delta {
                #expect(points[1].count == UInt64(second.count))
                #expect(points[1].zero == 0)
                #expect(points[1].positive == Self.expected(second, scale: scale))
                // The third interval starts afresh: only its values, at the configured scale.
                #expect(points[2].scale == 6)
                #expect(points[2].count == UInt64(third.count))
                #expect(points[2].positive == Self.expected(third, scale: 6))
            } else {
                #expect(points[1].count == UInt64(first.count + second.count))
                #expect(points[1].zero == 1)
                #expect(points[1].positive == Self.expected(first + second, scale: scale))
                // Cumulative keeps the reduced scale and everything.
                #expect(points[2].scale == scale)
                #expect(points[2].positive == Self.expected(first + second + third, scale: scale))
            }
        }
    }

    @Test("an interval taken by a failed delta export is merged into the next one, within max_buckets")
    func failedExportKeepsTheInterval() throws {
        let (r, series) = try Self.registry()
        var tracker = OTLPDeltaTracker(temporality: .delta)
        series.observe(1)
        var snapshot = r.snapshot(takingNativeIntervals: true)  // first: the cumulative point
        tracker.absorbIntervals(from: snapshot)
        tracker.commit(tracker.metrics(from: snapshot))
        series.observe(1.5)
        snapshot = r.snapshot(takingNativeIntervals: true)
        tracker.absorbIntervals(from: snapshot)
        _ = tracker.metrics(from: snapshot)  // this export fails: no commit
        for v in [0.01, 1.5, 300.0] { series.observe(v) }
        snapshot = r.snapshot(takingNativeIntervals: true)
        tracker.absorbIntervals(from: snapshot)
        let point = try #require(tracker.metrics(from: snapshot).first?.points.first)
        guard case let .histogram(h, _) = point.value, let n = h.native else {
            Issue.record("not a native histogram point")
            return
        }
        #expect(h.count == 4)
        #expect(n.count == 4)
        #expect(n.bucketCount <= 24)
        #expect(h.min == 0.01 && h.max == 300)
        let expected = Self.expected([1.5, 0.01, 1.5, 300], scale: n.schema)
        var held: [Int: UInt64] = [:]
        for (k, c) in n.positive.counts.enumerated() where c > 0 { held[n.positive.offset + k] = c }
        #expect(held == expected)
        tracker.commit(tracker.metrics(from: snapshot))
        #expect(tracker.pendingIntervals.isEmpty)
    }
}

import AgentTelemetry
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryOTLP

@Suite struct OTLPDeltaTrackerTests {
    private func snapshot(_ value: SeriesValue, at time: UInt64, id: UInt64 = 7, type: MetricType = .counter) -> MetricsSnapshot {
        let info = MetricFamilyInfo(name: type == .counter ? "x_total" : "x", help: "h", type: type, unit: nil, labelNames: [],
                                    buckets: type == .histogram ? [1, 2] : [])
        return MetricsSnapshot(timestampNanoseconds: time, families: [
            FamilySnapshot(info: info, series: [SeriesSnapshot(id: id, labels: .empty, value: value, startNanoseconds: 100)]),
        ])
    }

    private func onlyPoint(_ metrics: [OTLPMetricData]) -> OTLPDataPoint? { metrics.first?.points.first }

    @Test func firstDeltaIsTheTotalSinceSeriesStart() throws {
        let t = OTLPDeltaTracker(temporality: .delta)
        let p = try #require(onlyPoint(t.metrics(from: snapshot(.counter(5), at: 1000))))
        #expect(p.value == .number(5))
        #expect(p.startNanoseconds == 100)
        #expect(p.timeNanoseconds == 1000)
    }

    @Test func deltaAfterAcknowledgedExportIsTheChangeSinceThen() throws {
        var t = OTLPDeltaTracker(temporality: .delta)
        t.commit(t.metrics(from: snapshot(.counter(5), at: 1000)))
        let p = try #require(onlyPoint(t.metrics(from: snapshot(.counter(12), at: 2000))))
        #expect(p.value == .number(7))
        #expect(p.startNanoseconds == 1000)
    }

    @Test func failedExportIsNotTheBaselineSoNothingIsLostOrCountedTwice() throws {
        var t = OTLPDeltaTracker(temporality: .delta)
        t.commit(t.metrics(from: snapshot(.counter(5), at: 1000)))
        _ = t.metrics(from: snapshot(.counter(8), at: 2000))  // sent, failed: no commit
        let retry = t.metrics(from: snapshot(.counter(12), at: 3000))
        #expect(onlyPoint(retry)?.value == .number(7))
        #expect(onlyPoint(retry)?.startNanoseconds == 1000)
        t.commit(retry)
        #expect(onlyPoint(t.metrics(from: snapshot(.counter(12), at: 4000)))?.value == .number(0))
    }

    @Test func cumulativeAlwaysSendsTheTotalFromSeriesStart() throws {
        var t = OTLPDeltaTracker(temporality: .cumulative)
        t.commit(t.metrics(from: snapshot(.counter(5), at: 1000)))
        let p = try #require(onlyPoint(t.metrics(from: snapshot(.counter(12), at: 2000))))
        #expect(p.value == .number(12))
        #expect(p.startNanoseconds == 100)
    }

    @Test func gaugesAreNeverDifferenced() throws {
        var t = OTLPDeltaTracker(temporality: .delta)
        t.commit(t.metrics(from: snapshot(.gauge(5), at: 1000, type: .gauge)))
        #expect(onlyPoint(t.metrics(from: snapshot(.gauge(3), at: 2000, type: .gauge)))?.value == .number(3))
    }

    @Test func histogramDeltaSubtractsBucketsSumAndCountAndDropsMinMax() throws {
        var t = OTLPDeltaTracker(temporality: .delta)
        let first = HistogramValue(bounds: [1, 2], bucketCounts: [1, 1, 0], sum: 2.5, count: 2, min: 0.5, max: 2)
        let m1 = t.metrics(from: snapshot(.histogram(first), at: 1000, type: .histogram))
        #expect(onlyPoint(m1)?.value == .histogram(first, hasMinMax: true))
        t.commit(m1)
        let second = HistogramValue(bounds: [1, 2], bucketCounts: [1, 3, 1], sum: 10, count: 5, min: 0.5, max: 4)
        guard case let .histogram(d, hasMinMax) = onlyPoint(t.metrics(from: snapshot(.histogram(second), at: 2000, type: .histogram)))?.value else {
            Issue.record("not a histogram"); return
        }
        #expect(d.bucketCounts == [0, 2, 1])
        #expect(d.count == 3)
        #expect(d.sum == 7.5)
        #expect(!hasMinMax)
    }

    @Test func splitKeepsOrderAndLimit() {
        let info = MetricFamilyInfo(name: "a_total", help: "h", type: .counter, unit: nil, labelNames: [])
        let point = { (i: UInt64) in
            OTLPDataPoint(seriesID: i, labels: .empty, startNanoseconds: 0, timeNanoseconds: 1, value: .number(Double(i)), cumulative: .counter(Double(i)))
        }
        let metrics = [OTLPMetricData(info: info, points: (0..<25).map(point)), OTLPMetricData(info: info, points: [point(99)])]
        let groups = OTLPMetricsEncoder.split(metrics, limit: 10)
        #expect(groups.map { $0.reduce(0) { $0 + $1.points.count } } == [10, 10, 6])
        #expect(groups.flatMap { $0.flatMap(\.points).map(\.seriesID) } == Array(0..<25) + [99])
    }
}

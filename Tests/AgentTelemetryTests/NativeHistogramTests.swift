import AgentTelemetry
import Foundation
import Testing

/// The native (exponential) histogram instrument: bucket mapping, bounded memory, views.
@Suite("Native histograms")
struct NativeHistogramTests {
    /// A registry whose `name` histogram is aggregated `aggregation` with `settings`.
    static func family(_ aggregation: HistogramAggregation = .native, schema: Int = 8, maxBuckets: Int = 160,
                       buckets: [Double] = [0.1, 1, 10]) throws -> HistogramFamily {
        let r = MetricRegistry(views: MetricViews(views: [
            MetricView(match: "latency_seconds", aggregation: aggregation, maxBuckets: maxBuckets, schema: schema),
        ]))
        return try r.histogram("latency_seconds", help: "Latency.", buckets: buckets)
    }

    @Test("a value lands in the bucket (2^(i/2^s), 2^((i+1)/2^s)] at every schema, powers of two on an upper bound")
    func bucketMapping() {
        var values: [Double] = [1, 2, 0.5, 1024, 3, 1e-9, 7.3e12, 0.1, 1.0000001, 0.9999999]
        var x = 1e-12
        while x < 1e12 { values.append(x); x *= 1.618 }
        for schema in -4...8 {
            for v in values {
                let i = NativeHistogramValue.index(of: v, schema: schema)
                // Bounds computed here from the definition, with pow.
                let lower = Foundation.pow(2.0, Double(i) / Foundation.pow(2.0, Double(schema)))
                let upper = Foundation.pow(2.0, Double(i + 1) / Foundation.pow(2.0, Double(schema)))
                #expect(v > lower * (1 - 1e-12) && v <= upper * (1 + 1e-12), "schema \(schema): \(v) not in (\(lower), \(upper)] of index \(i)")
            }
        }
        #expect(NativeHistogramValue.index(of: 1, schema: 0) == -1)
        #expect(NativeHistogramValue.index(of: 2, schema: 3) == 7)
        #expect(NativeHistogramValue.index(of: 4, schema: -1) == 0)
    }

    @Test("one series fed 10^6 values over 12 orders of magnitude stays within max_buckets and loses no observation")
    func boundedMemory() throws {
        let series = try Self.family(maxBuckets: 160).series
        var state: UInt64 = 42
        var expected = 0.0
        var widest = 0
        for i in 0..<1_000_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let u = Double(state >> 11) / Double(1 << 53)
            let v = Foundation.pow(10, -6 + 12 * u)  // 1e-6 … 1e6
            expected += v
            series.observe(v)
            if i % 997 == 0 { widest = max(widest, series.nativeBucketSpan) }
        }
        #expect(widest <= 160)
        let value = series.current
        let native = try #require(value.native)
        #expect(value.count == 1_000_000)
        #expect(native.count == 1_000_000, "zero count + buckets must equal the count")
        #expect(native.bucketCount <= 160)
        #expect(series.nativeAllocatedBuckets <= 2 * 160)
        // About 40 doublings in 160 buckets: 4 per doubling (schema 2), or 2 if the range
        // straddles one bucket too many.
        #expect(native.schema == 2 || native.schema == 1)
        #expect(abs(value.sum - expected) <= 1e-9 * expected)
    }

    @Test("with a tiny budget and values over the whole double range the zero bucket widens at schema -4; memory stays bounded")
    func zeroBucketWidens() throws {
        let series = try Self.family(maxBuckets: 4).series
        for e in stride(from: -300, through: 300, by: 7) { series.observe(Foundation.pow(10, Double(e))) }
        series.observe(-1e200)
        series.observe(1.7e308)  // the top bucket: the threshold must stay finite
        let native = try #require(series.current.native)
        #expect(native.schema == -4)
        #expect(native.bucketCount <= 4)
        #expect(native.count == series.current.count)
        #expect(native.zeroThreshold > NativeHistogramSettings.defaultZeroThreshold)
        #expect(native.zeroThreshold.isFinite)
    }

    @Test("a reduced series holds what the same values give when bucketed at the coarser schema directly")
    func reductionIsExact() throws {
        let series = try Self.family(schema: 8, maxBuckets: 40).series
        var values: [Double] = []
        var x = 0.003
        while x < 400 { values.append(x); x *= 1.09 }
        for v in values { series.observe(v) }
        let native = try #require(series.current.native)
        #expect(native.schema < 8)
        var direct: [Int: UInt64] = [:]
        for v in values { direct[NativeHistogramValue.index(of: v, schema: native.schema), default: 0] += 1 }
        var held: [Int: UInt64] = [:]
        for (k, c) in native.positive.counts.enumerated() where c > 0 { held[native.positive.offset + k] = c }
        #expect(held == direct)
    }

    @Test("views: native drops the classic bounds, classic_and_native keeps them, classic keeps no native buckets; zero and negatives")
    func aggregationChoices() throws {
        let native = try Self.family(.native, schema: 3)
        #expect(native.info.buckets.isEmpty)
        #expect(native.info.nativeHistogram?.schema == 3)
        #expect(native.info.histogramAggregation == .native)
        native.series.observe(0)
        native.series.observe(-3)
        native.series.observe(3)
        let v = try #require(native.series.current.native)
        #expect(v.zeroCount == 1)
        #expect(v.negative.counts == [1])
        #expect(v.negative.offset == v.positive.offset)
        #expect(native.series.current.bucketCounts == [3])

        let both = try Self.family(.classicAndNative)
        #expect(both.info.buckets == [0.1, 1, 10])
        #expect(both.info.histogramAggregation == .classicAndNative)
        both.series.observe(0.5)
        #expect(both.series.current.bucketCounts == [0, 1, 0, 0])
        #expect(both.series.current.native?.count == 1)

        let classic = try Self.family(.classic)
        #expect(classic.info.nativeHistogram == nil)
        classic.series.observe(0.5)
        #expect(classic.series.current.native == nil)
    }

    @Test("the registry-wide default turns every histogram native unless a view says otherwise")
    func globalDefault() throws {
        let r = MetricRegistry(views: MetricViews(views: [MetricView(match: "kept_seconds", aggregation: .classic)],
                                                  histogramAggregation: .native, nativeHistogram: NativeHistogramSettings(schema: 4, maxBuckets: 100)))
        let a = try r.histogram("a_seconds", help: "A.")
        #expect(a.info.nativeHistogram == NativeHistogramSettings(schema: 4, maxBuckets: 100))
        #expect(a.info.buckets.isEmpty)
        let kept = try r.histogram("kept_seconds", help: "Kept.")
        #expect(kept.info.nativeHistogram == nil)
        #expect(!kept.info.buckets.isEmpty)
    }

    @Test("a native-only series keeps exemplars spread over the registered bounds")
    func nativeExemplars() throws {
        let series = try Self.family(.native).series
        let a = try #require(TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"))
        series.observe(0.05, exemplar: a)
        series.observe(5, exemplar: a)
        series.observe(50, exemplar: a)
        #expect(series.nativeExemplars.map(\.value) == [0.05, 5, 50])
        #expect(series.exemplars.count == 1)  // the +Inf bucket of the text formats: the newest
        #expect(series.exemplars.first??.value == 50)
    }

    @Test("delta: subtracting an earlier reading taken at a finer schema gives the interval's observations")
    func subtraction() throws {
        let series = try Self.family(schema: 8, maxBuckets: 20).series
        series.observe(1.5)
        let before = try #require(series.current.native)
        #expect(before.schema == 8)
        for v in [0.01, 100.0, 1.5] { series.observe(v) }  // forces a reduction
        let after = try #require(series.current.native)
        #expect(after.schema < 8)
        let delta = try #require(after.subtracting(before))
        #expect(delta.schema == after.schema)
        #expect(delta.count == 3)
        let i = NativeHistogramValue.index(of: 1.5, schema: after.schema)
        #expect(delta.positive.counts[i - delta.positive.offset] == 1)
    }
}

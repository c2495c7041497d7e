// Native (exponential) histograms (issue 28): observe cost of a held series aggregated classic,
// native and both, beside swift-otel 1.6's exponential histogram (a swift-metrics Recorder from
// its metrics backend, maxSize 160, maxScale 8: the same budget and starting resolution as ours),
// in the same process. Each iteration performs `scalingFactor` observations; compare.sh divides
// the median by it (ns/op). mallocCountTotal shows that a series that has its buckets allocates
// nothing per observation. Bytes per series: MemoryProbe histogram-classic|histogram-native|
// histogram-swift-otel.
import AgentTelemetry
import Foundation
import Benchmark
import CoreMetrics
import OTel

/// 1024 latencies log-uniform over 1 ms … 100 s (17 doublings: a native series at 160 buckets
/// settles at schema 3), built once.
private let observations: [Double] = (0..<1024).map { i in
    let u = Double((i &* 7919) % 1024) / 1024
    return 0.001 * pow(100_000, u)
}

private func ourSeries(_ name: String, _ aggregation: HistogramAggregation) -> HistogramSeries {
    let registry = MetricRegistry(views: MetricViews(views: [MetricView(match: name, aggregation: aggregation)]))
    let series = try! registry.histogram(name, help: "h", labelNames: ["k"], buckets: Buckets.agentLatency).labels(["v"])
    for v in observations { series.observe(v) }  // the series has its buckets before measuring
    return series
}

private let otelFactory: any MetricsFactory = {
    var configuration = OTel.Configuration.default
    configuration.logs.enabled = false
    configuration.traces.enabled = false
    configuration.metrics.defaultHistogramType = .exponential(maxSize: 160, maxScale: 8)
    // The factory alone: its exporting service is never run, so only recording is measured.
    return try! OTel.makeMetricsBackend(configuration: configuration).factory
}()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        scalingFactor: .mega,
        maxDuration: .seconds(2),
        maxIterations: 40
    )

    for (label, aggregation) in [("classic", HistogramAggregation.classic), ("native", .native), ("classic_and_native", .classicAndNative)] {
        Benchmark("Native/observe_\(label)/ours") { benchmark in
            let series = ourSeries("native_bench_\(label)_seconds", aggregation)
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations { series.observe(observations[i & 1023]) }
            benchmark.stopMeasurement()
            blackHole(series)
        }
    }
    Benchmark("Native/observe_native/swift-otel") { benchmark in
        let recorder = otelFactory.makeRecorder(label: "native_bench_otel_seconds", dimensions: [("k", "v")], aggregate: true)
        for v in observations { recorder.record(v) }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { recorder.record(observations[i & 1023]) }
        benchmark.stopMeasurement()
        blackHole(recorder)
    }
}

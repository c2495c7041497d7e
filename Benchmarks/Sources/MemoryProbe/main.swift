// Bytes per counter series (issue 10, item 6), measured outside the benchmark harness (its
// malloc interposer adds a header per allocation). Run once per library in a fresh process:
//   MemoryProbe ours|swift-prometheus [series]
//   MemoryProbe histogram-classic|histogram-native|histogram-swift-otel [series]
// The histogram modes give bytes per histogram series (issue 28), each series fed 200 latencies
// log-uniform over 1 ms … 100 s (a native series at 160 buckets settles at schema 3; swift-otel's
// exponential histogram gets the same budget, maxSize 160, maxScale 8).
// Prints heap bytes in use (glibc mallinfo2) and resident set growth per series, with the
// registry kept alive. Layout as in the exposition benchmark: 10 families, labels {path, code}.
import AgentTelemetry
import CMallocInfo
import CoreMetrics
import Glibc
import OTel
import Prometheus
import PrometheusPeer

func heapInUse() -> Int { Int(cmi_heap_in_use()) }

func residentBytes() -> Int {
    guard let f = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(f) }
    var size = 0, resident = 0
    withUnsafeMutablePointer(to: &size) { s in
        withUnsafeMutablePointer(to: &resident) { r in
            _ = withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
        }
    }
    return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let args = CommandLine.arguments
let which = args.count > 1 ? args[1] : "ours"
let n = args.count > 2 ? Int(args[2]) ?? 100_000 : 100_000
// Label values built up front (both libraries keep their own copies, which is what we measure).
let paths = (0..<(n / 10)).map { "/api/v1/item/\($0)" }
let latencies: [Double] = (0..<200).map { 0.001 * pow(100_000, Double(($0 &* 7919) % 200) / 200) }

let heap0 = heapInUse()
let rss0 = residentBytes()
var keepAlive: [AnyObject] = []
switch which {
case "ours":
    let registry = MetricRegistry(cardinalityLimit: 1_000_000)
    for f in 0..<10 {
        let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
        for p in paths { family.labels([p, "200"]).increment() }
    }
    keepAlive.append(registry)
case "swift-prometheus":
    let registry = PrometheusCollectorRegistry()
    for f in 0..<10 {
        for p in paths { registry.legacy.makeCounter(name: "bench_requests_\(f)_total", labels: [("path", p), ("code", "200")], help: "Requests handled, family \(f).").increment() }
    }
    keepAlive.append(registry)
case "histogram-classic", "histogram-native":
    let aggregation: HistogramAggregation = which == "histogram-native" ? .native : .classic
    let registry = MetricRegistry(cardinalityLimit: 1_000_000, views: MetricViews(histogramAggregation: aggregation))
    for f in 0..<10 {
        let family = try! registry.histogram("bench_latency_\(f)_seconds", help: "Latency, family \(f).", labelNames: ["path", "code"])
        for p in paths {
            let s = family.labels([p, "200"])
            for v in latencies { s.observe(v) }
        }
    }
    keepAlive.append(registry)
case "histogram-swift-otel":
    var configuration = OTel.Configuration.default
    configuration.logs.enabled = false
    configuration.traces.enabled = false
    configuration.metrics.defaultHistogramType = .exponential(maxSize: 160, maxScale: 8)
    let factory = try! OTel.makeMetricsBackend(configuration: configuration).factory
    var recorders: [CoreMetrics.Recorder] = []
    for f in 0..<10 {
        for p in paths {
            let r = CoreMetrics.Recorder(label: "bench_latency_\(f)_seconds", dimensions: [("path", p), ("code", "200")], aggregate: true, factory: factory)
            for v in latencies { r.record(v) }
            recorders.append(r)
        }
    }
    keepAlive.append(recorders as AnyObject)
default:
    fatalError("usage: MemoryProbe ours|swift-prometheus|histogram-classic|histogram-native|histogram-swift-otel [series]")
}
let heap1 = heapInUse()
let rss1 = residentBytes()
let series = (n / 10) * 10
print("memory \(which) series=\(series) heap_bytes_per_series=\((heap1 - heap0) / series) rss_bytes_per_series=\((rss1 - rss0) / series)")
withExtendedLifetime(keepAlive) {}

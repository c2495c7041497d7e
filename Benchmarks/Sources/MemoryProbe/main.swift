// Bytes per counter series (issue 10, item 6), measured outside the benchmark harness (its
// malloc interposer adds a header per allocation). Run once per library in a fresh process:
//   MemoryProbe ours|swift-prometheus [series]
// Prints heap bytes in use (glibc mallinfo2) and resident set growth per series, with the
// registry kept alive. Layout as in the exposition benchmark: 10 families, labels {path, code}.
import AgentTelemetry
import CMallocInfo
import Glibc
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
default:
    fatalError("usage: MemoryProbe ours|swift-prometheus [series]")
}
let heap1 = heapInUse()
let rss1 = residentBytes()
let series = (n / 10) * 10
print("memory \(which) series=\(series) heap_bytes_per_series=\((heap1 - heap0) / series) rss_bytes_per_series=\((rss1 - rss0) / series)")
withExtendedLifetime(keepAlive) {}

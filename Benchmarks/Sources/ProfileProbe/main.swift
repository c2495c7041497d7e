// A small release binary for profiling one workload at a time under callgrind or perf:
//   valgrind --tool=callgrind .build/release/ProfileProbe exposition-counters 10000 20
// Workloads mirror the benchmarks (same layouts); nothing here is timed.
import AgentTelemetry
import AgentTelemetryPrometheus
import Glibc

let args = CommandLine.arguments
let workload = args.count > 1 ? args[1] : "exposition-counters"
let n = args.count > 2 ? Int(args[2]) ?? 10_000 : 10_000
let repeats = args.count > 3 ? Int(args[3]) ?? 10 : 10

struct CountingSubscriber: TelemetrySubscriber {
    let name: String
    let counter: CounterSeries
    func handle(_ event: any TelemetryEvent) async throws { counter.increment() }
}

switch workload {
case "exposition-counters", "exposition-histograms", "exposition-counters-om", "exposition-histograms-om":
    let format: ExpositionFormat = workload.hasSuffix("-om") ? .openMetrics : .prometheusText
    let registry = MetricRegistry(cardinalityLimit: 1_000_000)
    for f in 0..<10 {
        if workload.hasPrefix("exposition-counters") {
            let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
            for i in 0..<(n / 10) { family.labels(["/api/v1/item/\(i)", "200"]).increment(by: (i &* 7) % 1000 + 1) }
        } else {
            let family = try! registry.histogram("bench_latency_\(f)_seconds", help: "Latency, family \(f).", labelNames: ["path", "code"], buckets: Buckets.agentLatency)
            for i in 0..<(n / 10) { let s = family.labels(["/api/v1/item/\(i)", "200"]); for v in [0.003, 0.07, 1.7] { s.observe(v) } }
        }
    }
    var buffer: [UInt8] = []
    var total = 0
    for _ in 0..<repeats {
        buffer.removeAll(keepingCapacity: true)
        PrometheusTextEncoder(format: format).encode(registry: registry, into: &buffer)
        total &+= buffer.count
    }
    print("\(workload): \(total / repeats) bytes")
case "exposition-counters-om-exemplars", "exposition-histograms-om-exemplars":
    // The Exposition benchmark's `*_om_exemplars` layouts (issue 17): an exemplar on every counter
    // series, or one traced observation in each of a histogram series' 15 buckets.
    let trace = TraceReference(traceIDHigh: 0x4bf9_2f35_77b3_4da6, traceIDLow: 0xa3ce_929d_0e0e_4736, spanID: 0x00f0_67aa_0ba9_02b7)!
    let registry = MetricRegistry(cardinalityLimit: 1_000_000)
    for f in 0..<10 {
        if workload.hasPrefix("exposition-counters") {
            let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
            for i in 0..<(n / 10) { family.labels(["/api/v1/item/\(i)", "200"]).increment(by: (i &* 7) % 1000 + 1, exemplar: trace) }
        } else {
            let family = try! registry.histogram("bench_latency_\(f)_seconds", help: "Latency, family \(f).", labelNames: ["path", "code"], buckets: Buckets.agentLatency)
            for i in 0..<(n / 10) {
                let s = family.labels(["/api/v1/item/\(i)", "200"])
                for v in Buckets.agentLatency + [Buckets.agentLatency.last! * 2] { s.observe(v, exemplar: trace) }
            }
        }
    }
    var buffer: [UInt8] = []
    var total = 0
    for _ in 0..<repeats {
        buffer.removeAll(keepingCapacity: true)
        PrometheusTextEncoder(format: .openMetrics).encode(registry: registry, into: &buffer)
        total &+= buffer.count
    }
    print("\(workload): \(total / repeats) bytes")
case "exemplar-source", "exemplar-source-context":
    // What `emit` asks the default exemplar source per event (issue 17): nothing bound, or a
    // TraceReference bound in the task's context.
    let source: any ExemplarSource = ContextExemplarSource()
    let trace = TraceReference(traceIDHigh: 1, traceIDLow: 2, spanID: 3)!
    var found = 0
    func look() { for _ in 0..<(n * repeats) { if source.currentTrace() != nil { found &+= 1 } } }
    if workload.hasSuffix("-context") { trace.withCurrent { look() } } else { look() }
    print("\(workload): \(found) found")
case "labelled":
    let registry = MetricRegistry()
    let family = try! registry.counter("lookup_total", help: "h", labelNames: ["tool", "vertical", "outcome"])
    let keys: [[String]] = (0..<16).map { ["tool_\($0)", "coding", "success"] }
    for i in 0..<(n * repeats) { let k = keys[i & 15]; family.labels(k[0], k[1], k[2]).increment() }
    print("labelled: \(family.labels(keys[0]).value)")
case "observe-native", "observe-classic":
    // A held histogram series (issue 28): `n * repeats` observations of 1024 latencies over 1 ms … 100 s.
    let aggregation: HistogramAggregation = workload == "observe-native" ? .native : .classic
    let registry = MetricRegistry(views: MetricViews(histogramAggregation: aggregation))
    let series = try! registry.histogram("probe_seconds", help: "h", labelNames: ["k"]).labels(["v"])
    let values: [Double] = (0..<1024).map { 0.001 * pow(100_000, Double(($0 &* 7919) % 1024) / 1024) }
    for i in 0..<(n * repeats) { series.observe(values[i & 1023]) }
    print("\(workload): \(series.current.count)")
case "bus", "bus-standard":
    let event = ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(12))
    if workload == "bus" {
        let bus = try! Telemetry(configuration: .init(
            bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), enableStandardMetrics: false, sampleProcess: false))
        let counter = try! bus.registry.counter("handled_total", help: "h").series
        bus.subscribe(CountingSubscriber(name: "s", counter: counter))
        let running = Task { try? await bus.run() }
        for _ in 0..<repeats {
            for _ in 0..<n { bus.emit(event) }
            await bus.flush()
        }
        print("bus: \(counter.value) handled, \(bus.statistics.dropped) dropped")
        await bus.shutdown()
        await running.value
    } else {
        let t = try! Telemetry(configuration: .init(bus: .init(capacity: 1 << 21, subscriberCapacity: 1 << 21), sampleProcess: false))
        let running = Task { try? await t.run() }
        for _ in 0..<repeats {
            for _ in 0..<n { t.emit(event) }
            await t.flush()
        }
        print("bus-standard: \(t.statistics.dispatched) dispatched")
        await t.shutdown()
        await running.value
    }
case "layout":
    print("SeriesContext \(MemoryLayout<SeriesContext>.size) B, MetricFamilyInfo \(MemoryLayout<MetricFamilyInfo>.size) B, LabelSet \(MemoryLayout<LabelSet>.size) B, SeriesSnapshot \(MemoryLayout<SeriesSnapshot>.size) B, ToolExecuted \(MemoryLayout<ToolExecuted>.size) B (existential inline buffer: 24 B), ProviderRequest \(MemoryLayout<ProviderRequest>.size) B")
default:
    fatalError("workloads: layout, exposition-counters[-om[-exemplars]], exposition-histograms[-om[-exemplars]], labelled, bus, bus-standard, exemplar-source[-context]")
}

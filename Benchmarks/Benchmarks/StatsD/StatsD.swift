// StatsD lines per second, batched (issue 10, item 5): 100,000 counter/timer lines encoded with
// the public `StatsDLineEncoder` (pre-rendered series) and packed into 1,432-byte UDP payloads
// with `StatsDDatagramPacker`. No socket: this is the CPU cost per line.
import AgentTelemetry
import AgentTelemetryStatsD
import Benchmark

let linesPerIteration = 100_000

/// 100 counter series and 100 histogram series, rendered once (as the exporter does).
func renderings(_ flavour: StatsDFlavour) -> (counters: [StatsDSeriesRendering], timers: [StatsDSeriesRendering]) {
    let registry = MetricRegistry()
    let counters = try! registry.counter("tool_executions_total", help: "h", labelNames: ["tool", "vertical", "outcome"])
    let timers = try! registry.histogram("tool_execution_duration_seconds", help: "h", unit: .seconds, labelNames: ["tool", "vertical"])
    let encoder = StatsDLineEncoder(flavour: flavour, prefix: "agent.")
    let c = (0..<100).map { i in encoder.render(info: counters.info, labels: counters.labels(["tool_\(i)", "coding", "success"]).context.labels) }
    let t = (0..<100).map { i in encoder.render(info: timers.info, labels: timers.labels(["tool_\(i)", "coding"]).context.labels) }
    return (c, t)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 30
    )
    for flavour in [StatsDFlavour.dogStatsD, .etsy] {
        Benchmark("StatsD/encode_pack_100k_lines_\(flavour.rawValue)/ours") { benchmark in
            let series = renderings(flavour)
            let encoder = StatsDLineEncoder(flavour: flavour, prefix: "agent.")
            var packer = StatsDDatagramPacker(maxPacketSize: StatsDConfiguration.defaultUDPMaxPacketSize)
            var line: [UInt8] = []
            line.reserveCapacity(256)
            var datagrams = 0
            benchmark.startMeasurement()
            for i in 0..<linesPerIteration {
                line.removeAll(keepingCapacity: true)
                if i & 1 == 0 {
                    encoder.appendCounter(series.counters[i % 100], increment: 1, to: &line)
                } else {
                    encoder.appendObservation(series.timers[i % 100], value: 0.012, to: &line)
                }
                packer.append(line)
            }
            datagrams = packer.finish().count
            benchmark.stopMeasurement()
            if datagrams == 0 { benchmark.error("no datagrams") }
            blackHole(datagrams)
        }
    }
}

import AgentTelemetry
import AgentTelemetryRuntime
import ArgumentParser
import Foundation

/// `agent-telemetry demo`: a simulated agent workload serving `/metrics`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a simulated agent workload that exercises every metric category, serving /metrics (127.0.0.1:9091 by default).",
        discussion: """
        Uses every exporter the configuration enables. Prints a progress line every few seconds.
        Stops after --duration seconds, or on SIGTERM/SIGINT; either way the bus is drained and every
        exporter exports once more before the process exits 0.
        """)

    @Option(help: "YAML configuration file (default: built-in defaults plus environment variables; also AGENT_TELEMETRY_CONFIG).")
    var config: String?

    @Option(help: "Seconds to run; 0 runs until SIGTERM/SIGINT.")
    var duration: Double = 0

    @Option(help: "Simulated agent requests per second (each emits 10–20 events).")
    var rate: Double = 50

    @Option(help: "Seed of the pseudo-random workload; the same seed gives the same event sequence.")
    var seed: UInt64 = 42

    @Option(help: "Override exporters.prometheus.host (e.g. 0.0.0.0 in a container).")
    var host: String?

    @Option(help: "Override exporters.prometheus.port.")
    var port: Int?

    @Option(help: "Seconds between progress lines.")
    var progressInterval: Double = 5

    func validate() throws {
        guard duration >= 0 else { throw ValidationError("--duration must be >= 0") }
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be in (0, 1000000]") }
        guard progressInterval > 0 else { throw ValidationError("--progress-interval must be > 0") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        let path = config ?? ProcessInfo.processInfo.environment["AGENT_TELEMETRY_CONFIG"]
        var resolved: RuntimeConfiguration
        do {
            resolved = try ConfigurationLoader.load(path: path)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(invalidConfigurationExitCode)
        }
        if resolved.telemetry.standardMetrics.priceTable.prices.isEmpty {
            // Illustrative list prices for the simulated models, so the demo's cost metric has data;
            // a configuration's metrics.prices replaces them.
            resolved.telemetry.standardMetrics.priceTable = PriceTable([
                "openai/gpt-4o": ModelPrice(inputPerMillion: 2.5, outputPerMillion: 10),
                "openai/gpt-4o-mini": ModelPrice(inputPerMillion: 0.15, outputPerMillion: 0.6),
                "anthropic/claude-sonnet-4": ModelPrice(inputPerMillion: 3, outputPerMillion: 15),
                "gcp.gemini/gemini-2.5-pro": ModelPrice(inputPerMillion: 1.25, outputPerMillion: 10),
            ])
        }
        if let host { resolved.prometheus?.host = host }
        if let port { resolved.prometheus?.port = port }
        let runtime: TelemetryRuntime
        do {
            runtime = try TelemetryRuntime.bootstrap(config: resolved)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let telemetry = runtime.telemetry
        let workload = Task { await Self.drive(telemetry: telemetry, runtime: runtime, rate: rate, seed: seed, interval: progressInterval) }
        let stopper = Task {
            guard duration > 0 else { return }
            try? await Task.sleep(for: .milliseconds(Int64(duration * 1000)))
            await runtime.shutdown()
        }
        do {
            try await runtime.run()
        } catch {
            workload.cancel()
            stopper.cancel()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        workload.cancel()
        stopper.cancel()
        await workload.value
        print("demo: stopped after a final flush; \(telemetry.bus.statistics.dispatched) events dispatched, \(telemetry.bus.statistics.dropped) dropped")
    }

    /// Emits the workload at `rate` requests per second and prints progress.
    static func drive(telemetry: Telemetry, runtime: TelemetryRuntime, rate: Double, seed: UInt64, interval: Double) async {
        var workload = DemoWorkload(seed: seed)
        for e in workload.startupEvents() { telemetry.bus.emit(any: e) }
        let start = ContinuousClock.now
        var requests = 0.0
        var lastReport = start
        var lastDispatched = 0
        if let p = runtime.prometheus, let bound = try? await p.waitUntilBound() {
            print("demo: serving http://\(p.configuration.host):\(bound)\(p.configuration.path) (rate \(rate) requests/s, seed \(seed))")
        }
        while !Task.isCancelled {
            let elapsed = (ContinuousClock.now - start).seconds
            while requests < elapsed * rate {
                for e in workload.nextRequest() { telemetry.bus.emit(any: e) }
                requests += 1
            }
            let now = ContinuousClock.now
            if (now - lastReport).seconds >= interval {
                let stats = telemetry.bus.statistics
                let rateNow = Double(stats.dispatched - lastDispatched) / (now - lastReport).seconds
                lastDispatched = stats.dispatched
                lastReport = now
                let snapshot = telemetry.registry.snapshot()
                print("demo: \(Int(rateNow)) events/s, \(snapshot.seriesCount) series, \(stats.dropped) dropped; " + exporterStatus(runtime, snapshot))
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    static func exporterStatus(_ runtime: TelemetryRuntime, _ s: MetricsSnapshot) -> String {
        func total(_ name: String, _ filter: (LabelSet) -> Bool = { _ in true }) -> Int {
            guard let f = s.family(named: name) else { return 0 }
            var sum = 0.0
            for series in f.series where filter(series.labels) {
                if case .counter(let v) = series.value { sum += v }
            }
            return Int(sum)
        }
        var parts: [String] = []
        if runtime.prometheus != nil {
            parts.append("prometheus: \(total("agent_telemetry_prometheus_requests_total") { $0["handler"] == "metrics" }) scrapes")
        }
        if runtime.otlp != nil {
            parts.append("otlp: \(total("agent_telemetry_otlp_exports_total") { $0["result"] == "success" }) ok, \(total("agent_telemetry_otlp_exports_total") { $0["result"] == "failure" }) failed")
        }
        if runtime.statsd != nil {
            parts.append("statsd: \(total("agent_telemetry_statsd_lines_sent_total")) lines sent, \(total("agent_telemetry_statsd_lines_dropped_total")) dropped")
        }
        return parts.isEmpty ? "no exporters" : parts.joined(separator: ", ")
    }
}

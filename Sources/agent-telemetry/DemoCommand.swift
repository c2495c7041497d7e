import AgentTelemetry
import AgentTelemetryRuntime
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle

/// `agent-telemetry demo`: a simulated agent workload serving `/metrics`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a simulated agent workload that exercises every metric category, serving /metrics (127.0.0.1:9091 by default).",
        discussion: """
        Uses every exporter the configuration enables. Prints a progress line every few seconds.
        Stops after --duration seconds, or on SIGTERM/SIGINT; either way the workload stops first,
        then the bus is drained and every exporter exports once more before the process exits 0.
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
        var logger = Logger(label: "agent-telemetry")
        logger.logLevel = resolved.logLevel
        let runtime: TelemetryRuntime
        do {
            runtime = try TelemetryRuntime.bootstrap(config: resolved, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let driver = DemoDriver(
            runtime: runtime, rate: rate, seed: seed, progressInterval: .seconds(progressInterval),
            duration: duration > 0 ? .seconds(duration) : nil)
        // The runtime first, the workload last: on a signal the workload stops producing first,
        // then the runtime drains the bus and runs every exporter's final export. When the
        // workload ends by itself (--duration), the whole group shuts down gracefully.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: runtime),
                .init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger))
        do {
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let stats = runtime.telemetry.statistics
        print("demo: stopped after a final flush; \(stats.dispatched) events dispatched, \(stats.dropped) dropped")
    }
}

/// The demo's workload as a service: emits simulated agent requests at a fixed rate and prints
/// progress, until graceful shutdown (or the end of `duration`).
struct DemoDriver: Service {
    let runtime: TelemetryRuntime
    let rate: Double
    let seed: UInt64
    let progressInterval: Duration
    let duration: Duration?

    func run() async throws {
        let telemetry = runtime.telemetry
        var workload = DemoWorkload(seed: seed)
        for e in workload.startupEvents() { telemetry.emit(e) }
        if let p = runtime.prometheus, let bound = try? await p.waitUntilBound() {
            print("demo: serving http://\(p.configuration.host):\(bound)\(p.configuration.path) (rate \(rate) requests/s, seed \(seed))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = duration.map { start + $0 }
        var requests = 0.0
        var lastReport = start
        var lastDispatched = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now
            if let end, now >= end { return }
            let elapsed = (now - start).seconds
            while requests < elapsed * rate {
                for e in workload.nextRequest() { telemetry.emit(e) }
                requests += 1
            }
            if now - lastReport >= progressInterval {
                let stats = telemetry.statistics
                let rateNow = Double(stats.dispatched - lastDispatched) / (now - lastReport).seconds
                lastDispatched = stats.dispatched
                lastReport = now
                let snapshot = telemetry.registry.snapshot()
                print("demo: \(Int(rateNow)) events/s, \(snapshot.seriesCount) series, \(stats.dropped) dropped; " + Self.exporterStatus(runtime, snapshot))
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
            parts.append("prometheus: \(total("agent_telemetry_prometheus_requests_total") { $0["handler"] == "metrics" && $0["status"] == "200" }) scrapes")
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

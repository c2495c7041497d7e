import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryRuntime
import AgentTelemetryStatsD
import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `agent-telemetry demo`: a simulated agent workload serving `/metrics`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a simulated agent workload that exercises every metric category, serving /metrics (127.0.0.1:9091 by default).",
        discussion: """
        Uses every exporter the configuration enables. Prints a progress line every few seconds.
        Stops after --duration seconds, or on SIGTERM, SIGINT, SIGHUP, SIGUSR1 or SIGQUIT; either way
        the workload stops first, then the bus is drained and every exporter exports once more
        (bounded by shutdown_timeout) before the process exits 0. A second signal exits at once
        without flushing: 130 after SIGINT, 128 + the signal number otherwise.
        """)

    @Option(help: "YAML configuration file (default: built-in defaults plus environment variables; also AGENT_TELEMETRY_CONFIG).")
    var config: String?

    // Numbers are parsed unconditionally, so that `--duration -1` reaches validate() and gets a
    // reason instead of "missing value".
    @Option(parsing: .unconditional, help: "Seconds to run, at most one year; 0 runs until a signal.")
    var duration: Double = 0

    @Option(parsing: .unconditional, help: "Simulated agent requests per second, up to 1000000 (each emits 10–20 events).")
    var rate: Double = 50

    @Option(parsing: .unconditional, help: "Seed of the pseudo-random workload; the same seed gives the same event sequence.")
    var seed: UInt64 = 42

    @Option(help: "Override exporters.prometheus.host (e.g. 0.0.0.0 in a container).")
    var host: String?

    @Option(parsing: .unconditional, help: "Override exporters.prometheus.port (0 picks a free port).")
    var port: Int?

    @Option(parsing: .unconditional, help: "Seconds between progress lines, up to one day.")
    var progressInterval: Double = 5

    @Option(help: ArgumentHelp("An incident to play on top of the workload (repeatable); `list` prints them with the alerts each fires.", valueName: "name"))
    var scenario: [String] = []

    @Option(parsing: .unconditional, help: "Seconds of normal workload before the scenarios start.")
    var scenarioStart: Double = 60

    @Option(parsing: .unconditional, help: "Seconds the scenarios last; then the workload recovers. The default outlasts every shipped alert's window and `for:`.")
    var scenarioDuration: Double = 1800

    @Flag(help: "Generate the same workload and events but drop them: no bus, no registry, no exporters (the baseline of Benchmarks/host-cost.sh).")
    var noTelemetry = false

    static let maximumDuration: Double = 366 * 86_400

    func validate() throws {
        guard duration.isFinite, duration >= 0, duration <= Self.maximumDuration else {
            throw ValidationError("--duration must be a number of seconds from 0 to \(Int(Self.maximumDuration)) (one year); got \(duration)")
        }
        guard rate.isFinite, rate > 0, rate <= 1_000_000 else {
            throw ValidationError("--rate must be greater than 0 and at most 1000000 requests per second; got \(rate)")
        }
        guard progressInterval.isFinite, progressInterval > 0, progressInterval <= 86_400 else {
            throw ValidationError("--progress-interval must be greater than 0 and at most 86400 seconds; got \(progressInterval)")
        }
        if scenario != ["list"] {
            for name in scenario where DemoScenario.named(name) == nil {
                throw ValidationError("unknown --scenario \(name); `--scenario list` prints the scenarios")
            }
        }
        guard scenarioStart.isFinite, scenarioStart >= 0, scenarioStart <= Self.maximumDuration,
              scenarioDuration.isFinite, scenarioDuration > 0, scenarioDuration <= Self.maximumDuration else {
            throw ValidationError("--scenario-start must be from 0 and --scenario-duration greater than 0, both at most \(Int(Self.maximumDuration)) seconds; got \(scenarioStart) and \(scenarioDuration)")
        }
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535 (0 picks a free port); got \(port)")
        }
    }

    /// The scenarios of this run and when they play.
    var plan: ScenarioPlan {
        ScenarioPlan(scenarios: scenario.compactMap(DemoScenario.named), start: scenarioStart, duration: scenarioDuration)
    }

    func run() async throws {
        if scenario.contains("list") {
            say(DemoScenario.listing())
            return
        }
        // The stop signals have been caught since the first line of main (ProcessSignals); from
        // here the service lifecycle's signal sequence handles them, and a signal that came
        // before is acted on as the first one.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint, .sighup, .sigusr1, .sigquit)
        let early = ProcessSignals.takeEarlySignal().flatMap(Self.unixSignal)
        let path = config ?? ProcessInfo.processInfo.environment["AGENT_TELEMETRY_CONFIG"]
        var resolved: RuntimeConfiguration
        do {
            resolved = try ConfigurationLoader.load(path: path)
        } catch {
            complain("\(error)")
            throw ExitCode(invalidConfigurationExitCode)
        }
        let standard = resolved.telemetry.standardMetrics
        if resolved.telemetry.views.views.isEmpty {
            // Tokens and cost by agent (opt-in labels, see WorkContext), so the demo's "cost by
            // agent" panel and recording rules have data; a configuration's views replace these.
            let ns = standard.namespace
            resolved.telemetry.views.views = ["llm_cost_usd_total", "llm_tokens_total"].map {
                MetricView(match: ns.isEmpty ? $0 : ns + "_" + $0, optInLabels: ["gen_ai.agent.name"])
            }
        }
        if resolved.telemetry.budgets.isEmpty {
            // A budget per session, so the budget panels have data and token-cost-surge has a
            // limit to run past; a configuration's budgets replace it.
            resolved.telemetry.budgets = [DemoWorkload.sessionBudget]
        }
        // The limit the process sampler divides resident memory by: what memory-leak grows towards.
        let memoryLimit = ProcessSampler.sample(memoryLimitBytes: resolved.telemetry.processMemoryLimitBytes.map(Double.init))?.memoryLimitBytes ?? 0
        if plan.memoryLeakShare > 0 && !(memoryLimit > 0 && memoryLimit <= DemoScenario.maximumLeakLimitBytes) {
            let gib = String(format: "%.1f GiB", memoryLimit / 1_073_741_824)
            complain("demo: scenario memory-leak grows the process to \(Int(plan.memoryLeakShare * 100))% of its memory limit, which is \(memoryLimit > 0 ? gib : "unknown") here (the cgroup limit or the machine's memory); declare a budget of at most 4 GiB with metrics.process_memory_limit (e.g. 256MiB) in the configuration")
            throw ExitCode(invalidConfigurationExitCode)
        }
        if noTelemetry {
            try await runWithoutTelemetry(signals, early: early)
            return
        }
        if let host { resolved.prometheus?.host = host }
        if let port { resolved.prometheus?.port = port }
        var logger = Logger(label: "agent-telemetry")
        logger.logLevel = resolved.logLevel
        let runtime: TelemetryRuntime
        do {
            runtime = try TelemetryRuntime.bootstrap(config: resolved, logger: logger)
        } catch {
            complain("error: \(error)")
            throw ExitCode(1)
        }
        let driver = DemoDriver(
            runtime: runtime, rate: rate, seed: seed, progressInterval: .seconds(progressInterval),
            duration: duration > 0 ? .seconds(duration) : nil, plan: plan, memoryLimitBytes: memoryLimit)
        // The runtime first, the workload last: on a signal the workload stops producing first,
        // then the runtime drains the bus and runs every exporter's final export. When the
        // workload ends by itself (--duration), the whole group shuts down gracefully.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: runtime),
                .init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let bound = runtime.shutdownTimeout
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                tasks.addTask { await Self.watch(signals, early: early, group: group, bound: bound) }
                try await tasks.next()  // the service group ended
                tasks.cancelAll()
            }
        } catch {
            complain("error: \(error)")
            throw ExitCode(1)
        }
        let stats = runtime.telemetry.statistics
        let snapshot = runtime.telemetry.registry.snapshot()
        let undelivered = Self.undelivered(runtime)
        let stopped = undelivered.isEmpty
            ? "demo: stopped after a final flush"
            : "demo: stopped; the final flush did not deliver everything (" + undelivered.joined(separator: "; ") + ")"
        say("\(stopped); \(stats.dispatched) events dispatched, \(stats.dropped) dropped; " + DemoDriver.exporterStatus(runtime, snapshot))
    }

    /// What the final exports left behind, one phrase per exporter; empty when everything was
    /// delivered.
    static func undelivered(_ runtime: TelemetryRuntime) -> [String] {
        var lines: [String] = []
        if let otlp = runtime.exporter(ofType: OTLPExporter.self) {
            if let outcome = otlp.finalExportOutcome {
                if !outcome.isComplete { lines.append("otlp: \(outcome)") }
            } else {
                lines.append("otlp: no final export was made (the stop was cut short first)")
            }
        }
        return lines
    }

    /// The service lifecycle's name for a signal number.
    static func unixSignal(_ number: Int32) -> UnixSignal? {
        [UnixSignal.sigterm, .sigint, .sighup, .sigusr1, .sigquit].first { $0.rawValue == number }
    }

    /// `--no-telemetry`: the workload alone, each event built and dropped, until `--duration` or a signal.
    func runWithoutTelemetry(_ signals: UnixSignalsSequence, early: UnixSignal?) async throws {
        var logger = Logger(label: "agent-telemetry")
        logger.logLevel = .warning
        let driver = DemoDriver(
            runtime: nil, rate: rate, seed: seed, progressInterval: .seconds(progressInterval),
            duration: duration > 0 ? .seconds(duration) : nil, plan: plan)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: driver, successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { await Self.watch(signals, early: early, group: group, bound: .seconds(1)) }
            try await tasks.next()
            tasks.cancelAll()
        }
        say("demo: stopped (no telemetry)")
    }

    /// The first stop signal starts the graceful stop (and says so); a second one exits at once.
    /// If the graceful stop overruns its bound by more than a few seconds of running time (a
    /// stopped process does not use it up, see `RunningTime`), the process exits too. `early` is
    /// a signal that arrived before the sequence existed: it counts as the first. Ends, with its
    /// watchdog, when the caller cancels it after the service group has stopped.
    static func watch(_ signals: UnixSignalsSequence, early: UnixSignal?, group: ServiceGroup, bound: Duration) async {
        let deadline = bound + .seconds(5)
        await withTaskGroup(of: Void.self) { watchdog in
            var stopping = false
            func received(_ signal: UnixSignal) async {
                if stopping {
                    say("demo: \(signal) again: exiting at once, without flushing")
                    terminateProcess(signal == .sigint ? 130 : 128 + signal.rawValue)
                }
                stopping = true
                say("demo: \(signal) received: stopping the workload, draining the bus and flushing every exporter (at most \(bound)); send it again to exit at once")
                await group.triggerGracefulShutdown()
                watchdog.addTask {
                    do { try await RunningTime.sleep(for: deadline) } catch { return }
                    say("demo: the stop did not finish within \(deadline); exiting without waiting further")
                    terminateProcess(1)
                }
            }
            if let early { await received(early) }
            for await signal in signals { await received(signal) }
        }
    }
}

/// The demo's workload as a service: emits simulated agent requests at a fixed rate and prints
/// progress, until graceful shutdown (or the end of `duration`). Without a runtime
/// (`--no-telemetry`) the events are built the same way and dropped.
struct DemoDriver: Service {
    let runtime: TelemetryRuntime?
    let rate: Double
    let seed: UInt64
    let progressInterval: Duration
    let duration: Duration?
    /// Incidents played on top of the workload (`--scenario`); empty: the normal workload only.
    var plan = ScenarioPlan(scenarios: [], start: 0, duration: 0)
    /// The memory limit the process sampler divides by (what `memory-leak` grows towards).
    var memoryLimitBytes = 0.0

    func run() async throws {
        let telemetry = runtime?.telemetry
        var workload = DemoWorkload(seed: seed)
        // The scenarios draw from a generator of their own, so the workload's sequence is the
        // same with or without them.
        var incidents = SeededGenerator(seed: seed &+ 1)
        var playing = false
        var resources = ResourceIncident(memoryShare: plan.memoryLeakShare, memoryLimitBytes: memoryLimitBytes,
                                         spinningThreads: plan.spins ? min(4, ProcessInfo.processInfo.activeProcessorCount) : 0)
        defer { resources.end() }
        var lastBurst = -1
        var built = 0  // events built (and dropped) without telemetry
        // The simulated agent traces its requests as an application with a tracer would: one trace
        // per request, one span per operation (event). The ids come from a fast generator seeded
        // from the system's (never from `seed`: two replicas must not share trace ids), and each
        // event is emitted with its span, so its histograms and counters carry exemplars.
        var ids = SeededGenerator(seed: UInt64.random(in: .min ... .max))
        func emit(_ events: [any TelemetryEvent]) {
            let request = TraceReference.random(using: &ids)
            var spans: [TraceReference] = []
            spans.reserveCapacity(events.count)
            for _ in events { spans.append(request.childSpan(using: &ids)) }
            if let telemetry {
                for (e, span) in zip(events, spans) {
                    // The workload hands out `any TelemetryEvent`: a standard one is opened as
                    // such, so that it takes the by-value path (the general overload would box it).
                    if let standard = e as? any StandardEvent { telemetry.emit(standard, trace: span) } else { telemetry.emit(e, trace: span) }
                }
            } else {
                built &+= events.count
            }
        }
        emit(workload.startupEvents())
        if let p = runtime?.exporter(ofType: PrometheusExporter.self), let bound = try? await p.waitUntilBound() {
            say("demo: serving http://\(p.configuration.host):\(bound)\(p.configuration.path) (rate \(rate) requests/s, seed \(seed))")
        } else if runtime == nil {
            say("demo: no telemetry: building and dropping the events (rate \(rate) requests/s, seed \(seed))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        let end = duration.map { start + $0 }
        var requests = 0.0
        var lastReport = start
        var lastDispatched = 0
        // A progress line when one is due; also checked inside a long burst of requests, so an
        // overloaded machine still reports on time instead of after the burst.
        func reportIfDue() {
            let now = clock.now
            guard now - lastReport >= progressInterval else { return }
            if let runtime, let telemetry {
                let stats = telemetry.statistics
                let rateNow = Double(stats.dispatched - lastDispatched) / (now - lastReport).seconds
                lastDispatched = stats.dispatched
                let snapshot = telemetry.registry.snapshot()
                progress("demo: \(Int(rateNow)) events/s, \(snapshot.seriesCount) series, \(stats.dropped) dropped; " + Self.exporterStatus(runtime, snapshot))
            } else {
                progress("demo: \(Int(Double(built - lastDispatched) / (now - lastReport).seconds)) events/s built and dropped (no telemetry)")
                lastDispatched = built
            }
            lastReport = now
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let now = clock.now
            if let end, now >= end { return }
            let elapsed = (now - start).seconds
            if plan.isActive(at: elapsed) != playing {
                playing.toggle()
                let names = plan.scenarios.map(\.name).joined(separator: ", ")
                say(playing ? "demo: scenario \(names) started (for \(plan.duration) s)" : "demo: scenario \(names) ended: the workload recovers")
                if playing { resources.start() } else { resources.end() }
                if playing && plan.crashes {
                    say("demo: scenario crash: the process dies now, without a final flush (exit status 70)")
                    terminateProcess(70)
                }
            }
            if playing { resources.grow() }
            // A runaway loop: one burst of events a second, more than the bus holds. It yields
            // between chunks of 250,000 events, each more than three times the default bus
            // capacity, so that every chunk still overflows (with chunks of 10,000 the dispatcher
            // kept up and nothing was dropped), while no chunk holds a thread of the cooperative
            // pool for long: a burst of a million in one go held one for up to a second on a
            // loaded two-core machine, the scrapes of /metrics timed out, and the end-to-end test
            // saw the drop alert resolve in the middle of the incident (Prometheus had no
            // samples, not a rate of 0).
            if playing, plan.eventBurstPerSecond > 0, Int(elapsed) != lastBurst, let telemetry {
                lastBurst = Int(elapsed)
                let event = FeatureUsed(feature: "runaway_loop")
                var left = plan.eventBurstPerSecond
                while left > 0 {
                    let chunk = min(left, 250_000)
                    for _ in 0..<chunk { telemetry.emit(event) }
                    left -= chunk
                    await Task.yield()
                }
            }
            // Never more than a second behind: a machine too slow for the rate skips work
            // instead of piling it up, and the loop yields so the endpoint and signals are served.
            requests = max(requests, elapsed * rate - rate)
            var sinceYield = 0
            while requests < elapsed * rate && !Task.isShuttingDownGracefully {
                let events = workload.nextRequest()
                emit(plan.apply(events, playing: playing, using: &incidents))
                requests += 1
                sinceYield += 1
                if sinceYield == 64 {
                    sinceYield = 0
                    reportIfDue()
                    await Task.yield()
                }
            }
            reportIfDue()
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
        if runtime.exporter(ofType: PrometheusExporter.self) != nil {
            parts.append("prometheus: " + counted(total("agent_telemetry_prometheus_requests_total") { $0["handler"] == "metrics" && $0["status"] == "200" }, "scrape"))
        }
        if runtime.exporter(ofType: OTLPExporter.self) != nil {
            parts.append("otlp: \(total("agent_telemetry_otlp_exports_total") { $0["result"] == "success" }) ok, \(total("agent_telemetry_otlp_exports_total") { $0["result"] == "failure" }) failed")
        }
        if runtime.exporter(ofType: StatsDExporter.self) != nil {
            parts.append("statsd: " + counted(total("agent_telemetry_statsd_lines_sent_total"), "line") + " sent, \(total("agent_telemetry_statsd_lines_dropped_total")) dropped")
        }
        return parts.isEmpty ? "no exporters" : parts.joined(separator: ", ")
    }
}

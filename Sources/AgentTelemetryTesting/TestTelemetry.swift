import AgentTelemetry
import Logging
import Synchronization

/// A telemetry pipeline for tests: it records every event, reads on a manual clock, and
/// `settle()` returns once every subscriber has handled everything emitted so far — no sleeps.
///
/// Each test makes its own (nothing is process-wide), so tests run in parallel. Run it with
/// ``withTestTelemetry(configuration:clock:isolation:_:)``, which delivers events for the length of
/// the closure and drains them at the end:
///
/// ```swift
/// @Test func timeoutIsCounted() async throws {
///     try await withTestTelemetry { t in
///         await myAgent.runTool("search", telemetry: t.telemetry)    // emits ToolExecuted
///         await t.settle()
///         #expect(t.events(ToolExecuted.self).map(\.outcome) == [.timeout])
///         #expect(t.counterValue("agent_tool_executions_total",
///                                ["tool": "search", "vertical": "coding", "outcome": "timeout"]) == 1)
///     }
/// }
/// ```
public final class TestTelemetry: Sendable {
    /// The pipeline under test: pass it to the code that emits.
    public let telemetry: Telemetry
    /// The clock the pipeline reads (durations measured by `track`, session idle expiry).
    /// Move it with `advance(by:)`.
    public let clock: ManualClock
    private let recorder: EventLog

    /// The metrics of `telemetry`.
    public var registry: MetricRegistry { telemetry.registry }

    /// Settings for tests: `configuration` with `clock` as its clock and, unless asked for,
    /// without the process sampler (CPU and memory differ from run to run).
    public static func configuration(_ base: TelemetryConfiguration = TelemetryConfiguration(sampleProcess: false),
                                     clock: ManualClock) -> TelemetryConfiguration {
        var c = base
        c.clock = clock.telemetryClock
        return c
    }

    /// Creates a test pipeline; nothing is delivered until it runs (``withTestTelemetry(configuration:clock:isolation:_:)``
    /// runs it, or add `telemetry` to a `ServiceGroup` of your own).
    /// - Parameters:
    ///   - configuration: settings; its clock is replaced by `clock`. The default has the process
    ///     sampler off.
    ///   - clock: the manual clock to read.
    ///   - logger: where the pipeline logs (pass a capturing logger to assert on warnings).
    /// - Throws: `MetricRegistrationError` when the configuration's namespace is invalid.
    public init(configuration: TelemetryConfiguration = TelemetryConfiguration(sampleProcess: false),
                clock: ManualClock = ManualClock(),
                logger: Logger = Logger(label: "agent-telemetry.test")) throws(MetricRegistrationError) {
        self.clock = clock
        self.telemetry = try Telemetry(configuration: Self.configuration(configuration, clock: clock), logger: logger)
        self.recorder = EventLog(name: "agent_telemetry_testing_recorder")
        telemetry.subscribe(recorder)
    }

    /// Publishes an event (the same as `telemetry.emit`).
    public func emit<E: TelemetryEvent>(_ event: E) { telemetry.emit(event) }

    /// Emits an event whose exemplars point to `trace`.
    public func emit<E: TelemetryEvent>(_ event: E, trace: TraceReference) { telemetry.emit(event, trace: trace) }

    /// Publishes a standard event, by value as in production.
    public func emit<E: StandardEvent>(_ event: E) { telemetry.emit(event) }

    /// Emits a standard event whose exemplars point to `trace`.
    public func emit<E: StandardEvent>(_ event: E, trace: TraceReference) { telemetry.emit(event, trace: trace) }

    /// Returns once every subscriber — the standard metrics, the recorder, yours — has handled
    /// every event emitted before the call. Needs the pipeline running.
    public func settle() async { await telemetry.flush() }

    /// Every event handled so far, in delivery order.
    public var allEvents: [any TelemetryEvent] { recorder.events }

    /// The events of type `E` handled so far, in delivery order.
    public func events<E: TelemetryEvent>(_ type: E.Type = E.self) -> [E] {
        recorder.events(type)
    }

    /// Forgets the recorded events (metrics are kept).
    public func clearEvents() { recorder.removeAll() }

    /// The counter `name` (as exported) with exactly `labels`; `nil` when there is no such series.
    public func counterValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        registry.counterValue(name, labels)
    }

    /// The gauge `name` with exactly `labels`; `nil` when there is no such series.
    public func gaugeValue(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        registry.gaugeValue(name, labels)
    }

    /// The histogram `name` with exactly `labels` (count, sum, buckets); `nil` when absent.
    public func histogramValue(_ name: String, _ labels: [String: String] = [:]) -> HistogramValue? {
        registry.histogramValue(name, labels)
    }

    /// The exemplars of the series `name` with exactly `labels` (one per counter, one per
    /// histogram bucket; nil where there is none).
    public func exemplars(_ name: String, _ labels: [String: String] = [:]) -> [Exemplar?] {
        registry.exemplars(name, labels)
    }
}

/// Runs `body` with a running ``TestTelemetry``: events are delivered while it runs, and when it
/// returns (or throws) the pipeline drains and stops before this function returns. The pipeline
/// runs in a child task of this call; nothing outlives it.
///
/// - Parameters:
///   - configuration: settings (the clock is replaced by `clock`).
///   - clock: the manual clock the pipeline reads.
///   - logger: where the pipeline logs.
/// - Returns: what `body` returns.
public func withTestTelemetry<R>(
    configuration: TelemetryConfiguration = TelemetryConfiguration(sampleProcess: false),
    clock: ManualClock = ManualClock(),
    logger: Logger = Logger(label: "agent-telemetry.test"),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (TestTelemetry) async throws -> R
) async throws -> R {
    let t = try TestTelemetry(configuration: configuration, clock: clock, logger: logger)
    let telemetry = t.telemetry
    return try await withThrowingTaskGroup(of: Void.self, returning: R.self) { group in
        group.addTask { try await telemetry.run() }
        let result: Result<R, any Error>
        do { result = .success(try await body(t)) } catch { result = .failure(error) }
        await telemetry.shutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

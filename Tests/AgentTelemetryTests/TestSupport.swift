import Synchronization
@testable import AgentTelemetry

/// A test event carrying the emitting task's index and a sequence number.
struct Numbered: TelemetryEvent {
    static let eventName = "numbered"
    var timestamp = EventTimestamp.now
    var producer: Int
    var sequence: Int
}

/// Another event type, to test filters.
struct Other: TelemetryEvent {
    static let eventName = "other"
    var timestamp = EventTimestamp.now
}

/// Records what it receives.
final class Recorder: TelemetrySubscriber {
    let name: String
    let received = Mutex<[Numbered]>([])
    let count = Atomic<Int>(0)
    init(name: String = "recorder") { self.name = name }
    func handle(_ event: any TelemetryEvent) async throws {
        count.wrappingAdd(1, ordering: .relaxed)
        if let n = event as? Numbered { received.withLock { $0.append(n) } }
    }
}

/// Blocks every delivery until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(c)
                return false
            }
            if now { c.resume() }
        }
    }
    func open() {
        let w = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for c in w { c.resume() }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(30), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

extension MetricsSnapshot {
    /// The value of the counter or gauge `name` with exactly these labels.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        guard let f = family(named: name) else { return nil }
        for s in f.series where Dictionary(uniqueKeysWithValues: zip(s.labels.names, s.labels.values)) == labels {
            switch s.value {
            case .counter(let v), .gauge(let v): return v
            case .histogram(let h): return Double(h.count)
            }
        }
        return nil
    }

    /// The histogram `name` with exactly these labels.
    func histogram(_ name: String, _ labels: [String: String] = [:]) -> HistogramValue? {
        guard let f = family(named: name) else { return nil }
        for s in f.series where Dictionary(uniqueKeysWithValues: zip(s.labels.names, s.labels.values)) == labels {
            if case .histogram(let h) = s.value { return h }
        }
        return nil
    }
}

/// A bus reporting into `registry` the way `Telemetry` wires it, already delivering: `run()` goes
/// on in a task of its own until `shutdown()`.
func startedBus(configuration: EventBusConfiguration = .init(), registry: MetricRegistry? = nil) -> EventBus {
    let bus = EventBus(configuration: configuration, observer: registry.map { BusMetrics(registry: $0) })
    Task { _ = await bus.run() }
    return bus
}

extension Telemetry {
    /// Starts `run()` in a task of its own and returns `self`; `shutdown()` ends it.
    func started() -> Telemetry {
        Task { try? await self.run() }
        return self
    }
}

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

/// A bus reporting into `registry` the way `Telemetry` wires it, already delivering: `run()` goes
/// on in a task of its own until `shutdown()`.
func startedBus(configuration: EventBusConfiguration = .init(), registry: MetricRegistry? = nil) -> EventBus {
    let bus = EventBus(configuration: configuration, observer: registry.map { BusMetrics(registry: $0) })
    Task { _ = await bus.run() }
    return bus
}

import Synchronization

/// A subscriber that keeps every event delivered to it, standard events by value: the test kit's
/// recorder. The bus hands it the stored payload itself (as it does the standard subscriber), so
/// registering it does not make the bus box standard events at `emit`: a test runs the production
/// path, allocation-free for standard events.
package final class EventLog: TelemetrySubscriber {
    package let name: String
    private let payloads = Mutex<[EventPayload]>([])

    /// Creates an empty log named `name` (the subscriber name in the bus's metrics).
    package init(name: String) { self.name = name }

    /// Events delivered as existentials (never by the bus, which calls `append(_:)`).
    package func handle(_ event: any TelemetryEvent) async throws {
        payloads.withLock { $0.append(.boxed(event, event.trace)) }
    }

    /// Keeps one payload as the bus stored it. Amortised: no allocation while the log's storage
    /// has room.
    func append(_ payload: EventPayload) {
        payloads.withLock { $0.append(payload) }
    }

    /// Every event kept so far, in delivery order (boxing each standard one).
    package var events: [any TelemetryEvent] { payloads.withLock { $0.map(\.event) } }

    /// The events of type `E` kept so far, in delivery order.
    package func events<E: TelemetryEvent>(_ type: E.Type) -> [E] {
        payloads.withLock { all in
            all.compactMap { p -> E? in
                switch p {
                case .boxed(let e, _): e as? E
                case .boxedStandard(let e): e as? E
                case .standard(let s): s.event as? E
                }
            }
        }
    }

    /// Forgets the events, keeping the storage (so that a test can measure a clean run).
    package func removeAll() { payloads.withLock { $0.removeAll(keepingCapacity: true) } }
}

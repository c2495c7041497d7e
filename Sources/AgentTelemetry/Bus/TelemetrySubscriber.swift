/// Receives events from the bus.
///
/// Each subscriber gets its own bounded mailbox and its own task: a slow subscriber falls
/// behind (and drops, counted) without slowing the others, and one that throws is logged,
/// counted in `agent_telemetry_subscriber_errors_total`, and keeps receiving later events.
/// Events arrive in emit order per emitting task.
public protocol TelemetrySubscriber: Sendable {
    /// A short stable name used in logs and in the `subscriber` label of self metrics.
    var name: String { get }
    /// Handles one event. Called sequentially, never concurrently, for one subscriber.
    func handle(_ event: any TelemetryEvent) async throws
}

extension TelemetrySubscriber {
    /// Defaults to the type name.
    public var name: String { String(describing: Self.self) }
}

/// A subscriber made from a closure.
public struct ClosureSubscriber: TelemetrySubscriber {
    /// The subscriber's name.
    public let name: String
    private let body: @Sendable (any TelemetryEvent) async throws -> Void

    /// Creates a subscriber that runs `body` for each event.
    public init(name: String, _ body: @escaping @Sendable (any TelemetryEvent) async throws -> Void) {
        self.name = name
        self.body = body
    }

    public func handle(_ event: any TelemetryEvent) async throws { try await body(event) }
}

/// Which events a subscriber receives.
public struct EventFilter: Sendable {
    let types: Set<ObjectIdentifier>?

    /// Every event.
    public static let all = EventFilter(types: nil)

    /// Only events of these types.
    public static func only(_ types: [any TelemetryEvent.Type]) -> EventFilter {
        EventFilter(types: Set(types.map { ObjectIdentifier($0) }))
    }

    /// Only events of this type.
    public static func only(_ type: any TelemetryEvent.Type) -> EventFilter { only([type]) }

    @inline(__always) func accepts(_ id: ObjectIdentifier) -> Bool { types?.contains(id) ?? true }
}

import DequeModule
@testable import AgentTelemetry

enum DequeHolder {
    static func make() -> Deque<BusItem> { Deque() }
}

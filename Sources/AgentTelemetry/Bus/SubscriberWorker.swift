import DequeModule
import Logging
import Synchronization

/// Delivers one subscriber's mailbox to it, on its own task.
actor SubscriberWorker {
    nonisolated let id: UInt64
    nonisolated let subscriberName: String
    nonisolated let filter: EventFilter
    nonisolated let mailbox: BoundedBuffer
    nonisolated let handled = Atomic<Int>(0)
    nonisolated let failures = Atomic<Int>(0)
    private let subscriber: any TelemetrySubscriber
    private let logger: Logger
    private let errorCounter: Counter?
    private var lastErrorLog: ContinuousClock.Instant?

    init(id: UInt64, subscriber: any TelemetrySubscriber, filter: EventFilter, capacity: Int, logger: Logger, errorCounter: Counter?) {
        self.id = id
        self.subscriberName = subscriber.name
        self.subscriber = subscriber
        self.filter = filter
        self.mailbox = BoundedBuffer(capacity: capacity)
        self.logger = logger
        self.errorCounter = errorCounter
    }

    /// Runs until the mailbox is closed and drained.
    func run() async {
        var batch = Deque<BusItem>()
        while await mailbox.next(into: &batch) {
            for item in batch {
                switch item {
                case .event(let event, _):
                    do {
                        try await subscriber.handle(event)
                        handled.wrappingAdd(1, ordering: .relaxed)
                    } catch {
                        failures.wrappingAdd(1, ordering: .relaxed)
                        errorCounter?.increment()
                        logError(error, event: event)
                    }
                case .barrier(let barrier):
                    barrier.arrive()
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func logError(_ error: any Error, event: any TelemetryEvent) {
        // At most one log line per subscriber every 10 seconds; the counter has the full count.
        let now = ContinuousClock.now
        if let last = lastErrorLog, now - last < .seconds(10) { return }
        lastErrorLog = now
        logger.error("subscriber \(subscriberName) failed on \(type(of: event).eventName): \(error); it keeps receiving events (further failures within 10 s are only counted)")
    }
}

import Logging
import Synchronization

/// Settings of a telemetry instance (the runtime module builds this from the YAML config).
public struct TelemetryConfiguration: Sendable {
    /// Bus buffer sizes and overflow policy.
    public var bus: EventBusConfiguration
    /// Namespace, buckets, categories, prices.
    public var standardMetrics: StandardMetricsConfiguration
    /// Series per metric before overflow.
    public var cardinalityLimit: Int
    /// Whether the standard subscriber is attached.
    public var enableStandardMetrics: Bool
    /// Whether process statistics (CPU, memory, file descriptors) are sampled on each snapshot.
    public var sampleProcess: Bool

    /// Creates a configuration with production defaults.
    public init(bus: EventBusConfiguration = .init(), standardMetrics: StandardMetricsConfiguration = .init(),
                cardinalityLimit: Int = 2000, enableStandardMetrics: Bool = true, sampleProcess: Bool = true) {
        self.bus = bus
        self.standardMetrics = standardMetrics
        self.cardinalityLimit = cardinalityLimit
        self.enableStandardMetrics = enableStandardMetrics
        self.sampleProcess = sampleProcess
    }
}

/// One telemetry pipeline: a registry, an event bus, and the standard subscriber.
///
/// Create one per process (or per test), emit events from anywhere, add your own subscribers,
/// and hand `registry` to exporters.
///
/// ```swift
/// let telemetry = try Telemetry()
/// telemetry.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(12)))
/// let text = try await telemetry.track(tool: "search", vertical: .research) { try await search() }
/// ```
public final class Telemetry: Sendable {
    /// Where metrics live.
    public let registry: MetricRegistry
    /// Where events go.
    public let bus: EventBus
    /// The catalog families, when standard metrics are enabled.
    public let standardMetrics: StandardMetrics?
    /// The settings.
    public let configuration: TelemetryConfiguration
    /// The process sampler, when enabled.
    public let processSampler: ProcessSampler?

    /// Creates a pipeline and starts its bus.
    /// - Throws: `MetricRegistrationError` if the namespace makes catalog names invalid.
    public init(configuration: TelemetryConfiguration = .init(), logger: Logger = Logger(label: "agent-telemetry")) throws(MetricRegistrationError) {
        self.configuration = configuration
        let registry = MetricRegistry(cardinalityLimit: configuration.cardinalityLimit, logger: logger)
        self.registry = registry
        self.bus = EventBus(configuration: configuration.bus, registry: registry, logger: logger)
        if configuration.enableStandardMetrics {
            let standard = try StandardMetrics(registry: registry, configuration: configuration.standardMetrics)
            self.standardMetrics = standard
            // Unfiltered: other events cost one no-op call, and an unfiltered subscriber can take
            // a whole batch from the dispatcher without any copy.
            bus.subscribe(StandardSubscriber(metrics: standard))
        } else {
            self.standardMetrics = nil
        }
        self.processSampler = configuration.sampleProcess
            ? try ProcessSampler(registry: registry, namespace: configuration.standardMetrics.namespace) : nil
    }

    /// Publishes an event without blocking (see `EventBus.emit(_:)`).
    public func emit<E: TelemetryEvent>(_ event: E) { bus.emit(event) }

    /// Publishes an event, suspending while the buffer is full under the `.suspend` policy.
    public func send<E: TelemetryEvent>(_ event: E) async { await bus.send(event) }

    /// Adds a subscriber.
    @discardableResult
    public func subscribe(_ subscriber: any TelemetrySubscriber, filter: EventFilter = .all) -> Subscription {
        bus.subscribe(subscriber, filter: filter)
    }

    /// Waits until every event emitted so far has been handled by every subscriber.
    public func flush() async { await bus.flush() }

    /// Drains the bus and stops it.
    public func shutdown() async { await bus.shutdown() }

    // MARK: Measuring for the caller

    /// Runs `body`, timing it, and emits `ToolExecuted` with success or the thrown error's type;
    /// the error is rethrown unchanged.
    public func track<T, E: Error>(
        tool: String, vertical: Vertical = .general, _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        let start = ContinuousClock.now
        do {
            let value = try await body()
            emit(ToolExecuted(tool: tool, vertical: vertical, outcome: .success, duration: .now - start))
            return value
        } catch {
            let type = ErrorType(error)
            emit(ToolExecuted(tool: tool, vertical: vertical, outcome: Self.outcome(for: type), duration: .now - start, errorType: type))
            throw error
        }
    }

    /// Runs an LLM request, timing it, and emits `ProviderRequest`. `body` returns the value and
    /// the token usage it observed; a thrown error is classified and rethrown unchanged.
    public func track<T, E: Error>(
        provider: Provider, model: String, operation: GenAIOperation = .chat,
        _ body: () async throws(E) -> (value: T, usage: TokenUsage)
    ) async throws(E) -> T {
        let start = ContinuousClock.now
        do {
            let (value, usage) = try await body()
            emit(ProviderRequest(
                provider: provider, model: model, operation: operation, outcome: .success, latency: .now - start,
                inputTokens: usage.input, outputTokens: usage.output, timeToFirstToken: usage.timeToFirstToken))
            return value
        } catch {
            let type = ErrorType(error)
            emit(ProviderRequest(
                provider: provider, model: model, operation: operation, outcome: Self.outcome(for: type),
                latency: .now - start, errorType: type))
            throw error
        }
    }

    /// Handles an HTTP request, timing it, and emits `RequestHandled` with the status `body`
    /// returns; a thrown error is recorded as status 500 and rethrown unchanged.
    public func track<T, E: Error>(
        endpoint: String, method: String, sessionID: String? = nil,
        _ body: () async throws(E) -> (value: T, status: Int)
    ) async throws(E) -> T {
        let start = ContinuousClock.now
        do {
            let (value, status) = try await body()
            emit(RequestHandled(endpoint: endpoint, method: method, status: status, duration: .now - start, sessionID: sessionID))
            return value
        } catch {
            emit(RequestHandled(endpoint: endpoint, method: method, status: 500, duration: .now - start, sessionID: sessionID))
            throw error
        }
    }

    static func outcome(for type: ErrorType) -> Outcome {
        switch type {
        case .cancelled: .cancelled
        case .timeout: .timeout
        default: .failure
        }
    }
}

/// Token usage reported by an LLM call.
public struct TokenUsage: Sendable, Hashable {
    /// Prompt tokens.
    public var input: Int
    /// Completion tokens.
    public var output: Int
    /// Time to the first streamed token, if streaming.
    public var timeToFirstToken: Duration?

    /// Creates a usage record.
    public init(input: Int, output: Int, timeToFirstToken: Duration? = nil) {
        self.input = input
        self.output = output
        self.timeToFirstToken = timeToFirstToken
    }
}

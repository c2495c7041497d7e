import Logging
import ServiceLifecycle
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
    /// Where durations, session idle expiry and the CPU ratio read time (tests inject a manual clock).
    public var clock: TelemetryClock = .continuous
    /// The memory, in bytes, the process may use (`metrics.process_memory_limit`): the process
    /// sampler's `<ns>_process_memory_usage_ratio` is resident memory over it (over the cgroup
    /// limit when that is lower). Nil: the cgroup limit, else physical memory — which on a host
    /// shared with other services or outside a container makes the ratio, and the memory alerts,
    /// meaningless; declare the budget the process has.
    public var processMemoryLimitBytes: Int? = nil
    /// The CPUs the process may use (`metrics.process_cpu_limit`, in cores): the sampler's
    /// `<ns>_process_cpu_usage_ratio` is CPU time over wall time times it (times the cgroup quota
    /// when that is lower). Nil: the cgroup quota, else the online processors.
    public var processCPULimit: Double? = nil
    /// Views and common labels applied to every metric of the registry (`metrics.views`,
    /// `metrics.common_labels`). `standardMetrics.bucketOverrides` adds bucket views after these.
    public var views: MetricViews = .none
    /// Where `emit` finds the trace an event's exemplars point to when the event carries none:
    /// by default the trace in swift-distributed-tracing's `InstrumentationContext`
    /// (`ContextExemplarSource`). Nil turns that capture off; a `trace` set on an event is always
    /// kept.
    public var exemplarSource: (any ExemplarSource)? = ContextExemplarSource()
    /// Metrics registered beside the catalog (an exporter's own, the application's), so that
    /// `validate()` accepts views naming them. Not part of the file.
    public var additionalMetrics: [MetricDescriptor] = []
    /// Spend limits (`budgets:` in the file) the agent can ask about with `Telemetry.budget(session:)`.
    public var budgets: [Budget] = []

    /// The views the registry applies: `views`, then one buckets view per bucket override (an
    /// override named by a catalog base name applies to that metric under the namespace).
    public var effectiveViews: MetricViews {
        var out = views
        out.views += standardMetrics.bucketViews
        return out
    }

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

/// One telemetry pipeline: a registry, an event bus, and the standard subscriber — a
/// swift-service-lifecycle `Service`.
///
/// Create one per process (or per test), add it to your application's `ServiceGroup` (before
/// the exporters' consumers, after the exporters: see `TelemetryExporter`), emit events from
/// anywhere, add your own subscribers, and hand `registry` to exporters. `init` starts nothing;
/// `run()` delivers events. Events emitted before `run()` wait in the bus's bounded buffer.
///
/// ```swift
/// let telemetry = try Telemetry()
/// let prometheus = try PrometheusExporter(registry: telemetry.registry)
/// let group = ServiceGroup(services: [prometheus, telemetry, myServer],
///                          gracefulShutdownSignals: [.sigterm], logger: logger)
/// telemetry.emit(ToolExecuted(tool: "read_file", vertical: .coding, outcome: .success, duration: .milliseconds(12)))
/// try await group.run()
/// ```
public final class Telemetry: Service, Sendable {
    /// Where metrics live.
    public let registry: MetricRegistry
    /// Where events go (internal: agent code emits through `emit`).
    let bus: EventBus
    /// The catalog families, when standard metrics are enabled.
    public let standardMetrics: StandardMetrics?
    /// The settings.
    public let configuration: TelemetryConfiguration
    /// The process sampler, when enabled.
    public let processSampler: ProcessSampler?
    /// The spend of the configured budgets, nil when none is configured.
    package let budgetLedger: BudgetLedger?

    /// Creates a pipeline. Starts no task: `run()` does.
    /// - Throws: `MetricRegistrationError` if the namespace makes catalog names invalid.
    public init(configuration: TelemetryConfiguration = .init(), logger: Logger = Logger(label: "agent-telemetry")) throws(MetricRegistrationError) {
        self.configuration = configuration
        let registry = MetricRegistry(cardinalityLimit: configuration.cardinalityLimit,
                                      views: configuration.effectiveViews, logger: logger)
        self.registry = registry
        let busMetrics = BusMetrics(registry: registry)
        let bus = EventBus(configuration: configuration.bus, observer: busMetrics,
                           exemplarSource: configuration.exemplarSource, logger: logger)
        self.bus = bus
        busMetrics.trackDepth { [central = bus.central] in central.depth }
        if configuration.enableStandardMetrics {
            let standard = try StandardMetrics(registry: registry, configuration: configuration.standardMetrics, clock: configuration.clock)
            self.standardMetrics = standard
            // Unfiltered: other events cost one no-op lookup, and an unfiltered subscriber can take
            // a whole batch from the dispatcher without any copy.
            bus.subscribe(StandardSubscriber(metrics: standard))
        } else {
            self.standardMetrics = nil
        }
        if configuration.budgets.isEmpty {
            budgetLedger = nil
        } else {
            let ledger = BudgetLedger(
                budgets: configuration.budgets,
                pricing: standardMetrics?.pricing ?? PriceLookup(configuration.standardMetrics.effectivePrices, logger: logger),
                clock: configuration.clock, capacity: configuration.standardMetrics.sessionLimit)
            ledger.publish(into: registry, namespace: configuration.standardMetrics.namespace)
            // Every configured limit's counter exists from the start at 0, so the first limit
            // reached is an increase to Prometheus, not a series that appears already at 1.
            if let exceeded = standardMetrics?.counter(BudgetExceeded.exceeded) {
                for budget in configuration.budgets {
                    for (unit, _) in budget.limits { _ = exceeded.labels(budget.name, budget.scope.rawValue, unit.rawValue) }
                }
            }
            budgetLedger = ledger
        }
        self.processSampler = configuration.sampleProcess
            ? try ProcessSampler(registry: registry, namespace: configuration.standardMetrics.namespace, clock: configuration.clock,
                                 memoryLimitBytes: configuration.processMemoryLimitBytes.map(Double.init),
                                 cpuLimit: configuration.processCPULimit) : nil
    }

    // MARK: User API

    /// Publishes an event. Never blocks, never throws, never suspends: callable from any context,
    /// synchronous code included.
    ///
    /// The event goes into a bounded buffer under a short lock. When the buffer is full the
    /// configured policy applies (`drop_oldest` by default) and the discarded event is counted in
    /// `agent_telemetry_events_dropped_total{reason="buffer_full"}`; after shutdown began, events
    /// are counted with `reason="shutdown"`.
    /// Cost: one short lock section. Standard events are carried by value (no allocation, through
    /// the `StandardEvent` overload); a custom event larger than three words (24 bytes) costs one allocation for its existential
    /// box, and every subscriber other than the standard one receives standard events boxed
    /// (one allocation per event, shared by those subscribers).
    /// With `budgets` configured, a `ProviderRequest` is also charged to them here (a price look-up
    /// and one more short lock), so that `budget(session:)` includes it at once; other events cost
    /// one type check more.
    @inline(__always)
    public func emit<E: TelemetryEvent>(_ event: E) {
        guard let ledger = budgetLedger else { return bus.emit(event) }
        let crossed = Self.charge(event, ledger)
        bus.emit(event)
        for e in crossed { bus.emit(e) }
    }

    /// Publishes an event whose exemplars point to `trace` (a span of the caller's own tracing),
    /// instead of the event's `trace` or the one the exemplar source finds. Same cost as `emit(_:)`
    /// without the source's look-up.
    @inline(__always)
    public func emit<E: TelemetryEvent>(_ event: E, trace: TraceReference) {
        guard let ledger = budgetLedger else { return bus.emit(event, trace: trace) }
        let crossed = Self.charge(event, ledger)
        bus.emit(event, trace: trace)
        for e in crossed { bus.emit(e, trace: trace) }
    }

    /// Publishes a standard event (``StandardEvent``): the same as `emit(_:)` for any event, chosen
    /// wherever the static type is a standard one, which the bus then carries by value. Generic
    /// code over `some TelemetryEvent` reaches the general overload: the event is boxed, and still
    /// updates the standard metrics.
    @inline(__always)
    public func emit<E: StandardEvent>(_ event: E) {
        guard let ledger = budgetLedger else { return bus.emit(event) }
        let crossed = Self.charge(event, ledger)
        bus.emit(event)
        for e in crossed { bus.emit(e) }
    }

    /// Publishes a standard event whose exemplars point to `trace`.
    @inline(__always)
    public func emit<E: StandardEvent>(_ event: E, trace: TraceReference) {
        guard let ledger = budgetLedger else { return bus.emit(event, trace: trace) }
        let crossed = Self.charge(event, ledger)
        bus.emit(event, trace: trace)
        for e in crossed { bus.emit(e, trace: trace) }
    }

    /// Charges a provider request to the budgets (or forgets an ended session's spend); the
    /// limits it made reached, which the caller emits after the event itself.
    static func charge<E: TelemetryEvent>(_ event: E, _ ledger: BudgetLedger) -> [BudgetExceeded] {
        if let request = event as? ProviderRequest { return ledger.charge(request) }
        if let ended = event as? SessionEnded { ledger.end(session: ended.sessionID) }
        return []
    }

    // MARK: Budgets

    /// Where a session stands against the session budgets (`budgets:` with `scope: session`):
    /// spent, limit, remaining, over. Every `ProviderRequest` emitted with this session ID so
    /// far is included — the charge happens in `emit`, not later on the bus. Synchronous and
    /// cheap (one short lock, no allocation): ask it before each LLM call.
    /// ``BudgetStatus/unlimited`` when no session budget is configured.
    public func budget(session: String) -> BudgetStatus { budgetLedger?.status(.session, session) ?? .unlimited }

    /// Where an agent (`ProviderRequest.agentName`) stands against the agent budgets that match it.
    public func budget(agent: String) -> BudgetStatus { budgetLedger?.status(.agent, agent) ?? .unlimited }

    /// Where a model (as requested) stands against the model budgets that match it.
    public func budget(model: String) -> BudgetStatus { budgetLedger?.status(.model, model) ?? .unlimited }

    /// Adds a subscriber; it receives the events `filter` selects, in emit order per emitting task,
    /// on its own task with its own bounded mailbox.
    @discardableResult
    public func subscribe(_ subscriber: any TelemetrySubscriber, filter: EventFilter = .all) -> Subscription {
        bus.subscribe(subscriber, filter: filter)
    }

    /// Adds a closure subscriber for events of one type.
    @discardableResult
    public func subscribe<E: TelemetryEvent>(
        to type: E.Type, name: String = String(describing: E.self),
        _ handler: @escaping @Sendable (E) async throws -> Void
    ) -> Subscription {
        bus.subscribe(to: type, name: name, handler)
    }

    /// Waits until every event emitted so far has been handled by every subscriber (or dropped).
    /// Before `run()` has started, it waits for `run()`. Do not call it from a subscriber's `handle`.
    public func flush() async { await bus.flush() }

    /// What the bus has done so far: events dispatched and dropped, queue depth, subscribers.
    public var statistics: EventBusStatistics { bus.statistics }

    // MARK: Lifecycle

    /// Delivers events until graceful shutdown (swift-service-lifecycle's, or `shutdown()`),
    /// then stops accepting events, delivers everything accepted to every subscriber, and
    /// returns. The dispatcher and one child task per subscriber run in this task's group.
    ///
    /// Cancellation is a hard stop: events still queued are dropped and counted
    /// (`reason="cancelled"`). A subscriber stuck in `handle` delays the return; bound the
    /// whole stop with the service group's `maximumGracefulShutdownDuration`.
    /// - Throws: `TelemetryLifecycleError.alreadyRunning` when called a second time.
    public func run() async throws {
        let ran = await withGracefulShutdownHandler {
            await bus.run()
        } onGracefulShutdown: { [bus] in
            bus.close()
        }
        if !ran { throw TelemetryLifecycleError.alreadyRunning }
    }

    /// Stops accepting events and waits until everything accepted has been delivered: the
    /// graceful stop of a running `run()`, or, when `run()` was never started, the whole drain
    /// in the caller's task. Use it where no `ServiceGroup` runs the telemetry (scripts, tests).
    public func shutdown() async { await bus.shutdown() }

    // MARK: Measuring for the caller
    //
    // The `track` functions run `body` on the caller's isolation (`#isolation`): callable from an
    // actor or the main actor with a closure that touches the actor's state, with no hop.

    /// Runs `body`, timing it, and emits `ToolExecuted` with success or the thrown error's type;
    /// the error is rethrown unchanged. Inside `body`, the tool is the current tool-calling step
    /// (``WorkContext``): LLM requests made there are attributed to it.
    public func track<T, E: Error>(
        tool: String, vertical: Vertical = .general, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        let start = configuration.clock.now
        var context = WorkContext.current
        context.tool = tool
        let result = await Self.run(in: context, isolation: isolation, body)
        let duration = configuration.clock.now - start
        switch result {
        case .success(let value):
            emit(ToolExecuted(tool: tool, vertical: vertical, outcome: .success, duration: duration))
            return value
        case .failure(let error):
            let type = ErrorType(error)
            emit(ToolExecuted(tool: tool, vertical: vertical, outcome: Self.outcome(for: type), duration: duration, errorType: type))
            throw error
        }
    }

    /// Runs an LLM request, timing it, and emits `ProviderRequest`. `body` returns the value and
    /// the usage it observed (tokens, and what the response reported: model, streaming timings);
    /// a thrown error is classified and rethrown unchanged. `serverAddress` and `serverPort`
    /// name the provider endpoint (`server.address`, `server.port`; exported where a view opts in).
    public func track<T, E: Error>(
        provider: Provider, model: String, operation: GenAIOperation = .chat,
        serverAddress: String? = nil, serverPort: Int? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(E) -> (value: T, usage: TokenUsage)
    ) async throws(E) -> T {
        let start = configuration.clock.now
        do {
            let (value, usage) = try await body()
            emit(ProviderRequest(
                provider: provider, model: model, operation: operation, outcome: .success, latency: configuration.clock.now - start,
                inputTokens: usage.input, outputTokens: usage.output, cacheReadTokens: usage.cacheRead,
                cacheCreationTokens: usage.cacheCreation, reasoningTokens: usage.reasoning, timeToFirstToken: usage.timeToFirstToken,
                responseModel: usage.responseModel, serverAddress: serverAddress, serverPort: serverPort,
                outputChunkIntervals: usage.outputChunkIntervals))
            return value
        } catch {
            let type = ErrorType(error)
            emit(ProviderRequest(
                provider: provider, model: model, operation: operation, outcome: Self.outcome(for: type),
                latency: configuration.clock.now - start, errorType: type, serverAddress: serverAddress, serverPort: serverPort))
            throw error
        }
    }

    /// Runs an agent invocation (a planner, a sub-agent on a task), timing it, and emits
    /// `AgentInvoked` (`gen_ai.invoke_agent.duration`); a thrown error is classified and rethrown
    /// unchanged. Inside `body`, the agent is the current one (``WorkContext``): the LLM requests
    /// and tool executions made there are attributed to it (`gen_ai.agent.name`), a nested
    /// `track(agent:)` to the inner agent.
    public func track<T, E: Error>(
        agent: String, sessionID: String? = nil, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(E) -> T
    ) async throws(E) -> T {
        let start = configuration.clock.now
        let result = await Self.run(in: WorkContext(agent: agent), isolation: isolation, body)
        let duration = configuration.clock.now - start
        switch result {
        case .success(let value):
            emit(AgentInvoked(agent: agent, outcome: .success, duration: duration, sessionID: sessionID))
            return value
        case .failure(let error):
            let type = ErrorType(error)
            emit(AgentInvoked(agent: agent, outcome: Self.outcome(for: type), duration: duration,
                              errorType: type, sessionID: sessionID))
            throw error
        }
    }

    /// Runs `body` with `context` as the task's ``WorkContext``, on the caller's isolation, and
    /// keeps its typed error (the task-local binding itself only rethrows untyped errors).
    private static func run<T, E: Error>(
        in context: WorkContext, isolation: isolated (any Actor)?, _ body: () async throws(E) -> T
    ) async -> Result<T, E> {
        await WorkContext.$current.withValue(context, operation: { () async -> Result<T, E> in
            do throws(E) { return .success(try await body()) } catch { return .failure(error) }
        }, isolation: isolation)
    }

    /// Handles an HTTP request, timing it, and emits `RequestHandled` with the status `body`
    /// returns; a thrown error is recorded as status 500 and rethrown unchanged.
    public func track<T, E: Error>(
        endpoint: String, method: String, sessionID: String? = nil,
        isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws(E) -> (value: T, status: Int)
    ) async throws(E) -> T {
        let start = configuration.clock.now
        do {
            let (value, status) = try await body()
            emit(RequestHandled(endpoint: endpoint, method: method, status: status, duration: configuration.clock.now - start, sessionID: sessionID))
            return value
        } catch {
            emit(RequestHandled(endpoint: endpoint, method: method, status: 500, duration: configuration.clock.now - start, sessionID: sessionID))
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
    /// Prompt tokens, as the provider reports them.
    public var input: Int
    /// Completion tokens, as reported.
    public var output: Int
    /// Prompt tokens read from the cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`).
    public var cacheRead: Int
    /// Prompt tokens written to the cache (Anthropic `cache_creation_input_tokens`).
    public var cacheCreation: Int
    /// Reasoning tokens (OpenAI `reasoning_tokens`).
    public var reasoning: Int
    /// Time to the first streamed token, if streaming.
    public var timeToFirstToken: Duration?
    /// For a streamed response, the time between consecutive chunks after the first.
    public var outputChunkIntervals: [Duration] = []
    /// The model the response names (`gen_ai.response.model`), when the provider reports one.
    public var responseModel: String?

    /// Creates a usage record from the provider's usage fields, each as reported.
    public init(input: Int, output: Int, cacheRead: Int = 0, cacheCreation: Int = 0, reasoning: Int = 0,
                timeToFirstToken: Duration? = nil, outputChunkIntervals: [Duration] = [], responseModel: String? = nil) {
        self.outputChunkIntervals = outputChunkIntervals
        self.responseModel = responseModel
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
        self.timeToFirstToken = timeToFirstToken
    }
}

/// Errors of `Telemetry`'s lifecycle.
public enum TelemetryLifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `run()` was called on a telemetry that is running or has run.
    case alreadyRunning

    public var description: String {
        switch self {
        case .alreadyRunning: "this Telemetry is already running (or has run); create one per run"
        }
    }
}

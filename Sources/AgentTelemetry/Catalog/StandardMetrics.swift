import Logging
import Synchronization

/// Settings of the standard metrics.
public struct StandardMetricsConfiguration: Sendable {
    /// Prefix of namespaced metric names (`agent` gives `agent_tool_executions_total`).
    public var namespace: String
    /// Bucket overrides, keyed by full metric name or by base name: shorthand for buckets views
    /// (`metrics.buckets` in the file), which `Telemetry` gives its registry after the other views.
    public var bucketOverrides: [String: [Double]]
    /// Categories whose metrics are not registered or updated.
    public var disabledCategories: Set<MetricCategory>
    /// The price table (`metrics.price_table`, a dated file; the runtime loads it).
    public var priceSchedule: PriceSchedule
    /// The file `priceSchedule` was loaded from, as the configuration names it.
    public var priceTablePath: String?
    /// Prices given in the configuration itself (`metrics.prices`), by `provider/model` or
    /// `model`: they win over the table's.
    public var priceOverrides: [String: ModelRates]
    /// A session with no activity for this long is considered ended (a lost end event must not
    /// keep a user active forever).
    public var sessionIdleTimeout: Duration
    /// Live sessions tracked at most (for active users and per-session usage); past it the least
    /// recently active are evicted and counted in `sessions_evicted_total`.
    public var sessionLimit: Int = 100_000

    /// Creates a configuration.
    public init(namespace: String = "agent", bucketOverrides: [String: [Double]] = [:],
                disabledCategories: Set<MetricCategory> = [], priceSchedule: PriceSchedule = .empty,
                priceOverrides: [String: ModelRates] = [:],
                sessionIdleTimeout: Duration = .seconds(1800)) {
        self.namespace = namespace
        self.bucketOverrides = bucketOverrides
        self.disabledCategories = disabledCategories
        self.priceSchedule = priceSchedule
        self.priceOverrides = priceOverrides
        self.sessionIdleTimeout = sessionIdleTimeout
    }
}

extension StandardMetricsConfiguration {
    /// The prices in force: the table with the configuration's own prices in front.
    public var effectivePrices: PriceSchedule {
        priceOverrides.isEmpty ? priceSchedule : priceSchedule.overridden(by: priceOverrides)
    }

    /// `bucketOverrides` as views on full metric names (a catalog base name is put under the
    /// namespace), sorted by name.
    public var bucketViews: [MetricView] {
        let histograms = Dictionary(MetricCatalog.all.filter { $0.type == .histogram }.map { ($0.baseName, $0) },
                                    uniquingKeysWith: { a, _ in a })
        return bucketOverrides.sorted { $0.key < $1.key }.map { key, bounds in
            let full = MetricCatalog.all.contains { $0.name(namespace: namespace) == key }
            let name = !full ? histograms[key].map { $0.name(namespace: namespace) } ?? key : key
            return MetricView(match: name, buckets: bounds)
        }
    }
}

/// The catalog's families registered in a registry, ready for events to update.
///
/// Events reach a family through their descriptor (`counter(_:)`, `gauge(_:)`, `histogram(_:)`),
/// a lookup by object identity; a disabled category gives `nil` and the update is skipped.
public final class StandardMetrics: Sendable {
    /// The registry the families live in.
    public let registry: MetricRegistry
    /// The settings.
    public let configuration: StandardMetricsConfiguration
    private let counters: [ObjectIdentifier: CounterFamily]
    private let gauges: [ObjectIdentifier: GaugeFamily]
    private let histograms: [ObjectIdentifier: HistogramFamily]
    let sessions: SessionTracker
    /// Where ended sessions' usage goes.
    let sessionUsage: SessionUsageFamilies
    /// Rates by provider and model, looked up once per model (the table is matched by globs).
    let pricing: PriceLookup

    /// Registers every catalog family (except disabled categories) in `registry`.
    /// - Parameter clock: where session idle expiry reads time.
    public init(registry: MetricRegistry, configuration: StandardMetricsConfiguration = .init(),
                clock: TelemetryClock = .continuous) throws(MetricRegistrationError) {
        self.registry = registry
        self.configuration = configuration
        var counters: [ObjectIdentifier: CounterFamily] = [:]
        var gauges: [ObjectIdentifier: GaugeFamily] = [:]
        var histograms: [ObjectIdentifier: HistogramFamily] = [:]
        let ns = configuration.namespace
        for d in MetricCatalog.all where d.origin == .events && !configuration.disabledCategories.contains(d.category) {
            // Attribute keys and opt-in labels travel with the family info; bucket overrides
            // reach the family through the registry's views.
            let info = d.familyInfo(namespace: ns)
            switch d.type {
            case .counter: counters[ObjectIdentifier(d)] = try registry.register(info)
            case .gauge: gauges[ObjectIdentifier(d)] = try registry.register(info)
            case .histogram: histograms[ObjectIdentifier(d)] = try registry.register(info)
            }
        }
        self.counters = counters
        self.gauges = gauges
        self.histograms = histograms
        self.sessions = SessionTracker(idleTimeout: configuration.sessionIdleTimeout, limit: configuration.sessionLimit, clock: clock)
        self.sessionUsage = SessionUsageFamilies(histograms)
        self.pricing = PriceLookup(configuration.effectivePrices, logger: registry.logger)
        let tracker = sessions
        let activeUsers = gauges[ObjectIdentifier(SessionStarted.activeUsers)]
        let activeSessions = gauges[ObjectIdentifier(SessionStarted.activeSessions)]
        let expired = counters[ObjectIdentifier(SessionStarted.sessionsExpired)]
        let evicted = counters[ObjectIdentifier(SessionStarted.sessionsEvicted)]
        let usage = sessionUsage
        registry.addCollector {
            let (users, sessions, expiredNow, evictedNow) = tracker.expireIdle()
            activeUsers?.series.set(Double(users))
            activeSessions?.series.set(Double(sessions))
            if !expiredNow.isEmpty { expired?.series.increment(by: expiredNow.count) }
            if evictedNow > 0 { evicted?.series.increment(by: evictedNow) }
            // An expired session has ended too: its usage joins the per-session distributions.
            for u in expiredNow { usage.observe(u) }
        }
    }

    /// The counter family of a catalog entry, or `nil` when its category is disabled.
    @inline(__always) public func counter(_ d: MetricDescriptor) -> CounterFamily? { counters[ObjectIdentifier(d)] }
    /// The gauge family of a catalog entry, or `nil` when its category is disabled.
    @inline(__always) public func gauge(_ d: MetricDescriptor) -> GaugeFamily? { gauges[ObjectIdentifier(d)] }
    /// The histogram family of a catalog entry, or `nil` when its category is disabled.
    @inline(__always) public func histogram(_ d: MetricDescriptor) -> HistogramFamily? { histograms[ObjectIdentifier(d)] }
}

/// The price table with a bounded cache of its answers, and a warning once per unpriced model.
final class PriceLookup: Sendable {
    let schedule: PriceSchedule
    let logger: Logger
    /// Answers by provider, then model: looked up without building a key, so a priced request
    /// costs two hash lookups and no allocation.
    private let cache = Mutex<(count: Int, byProvider: [String: [String: ModelRates?]])>((0, [:]))
    /// Models cached before the cache starts over (models are bounded by the cardinality limit
    /// anyway; this bounds memory when they are not).
    static let capacity = 4096

    init(_ schedule: PriceSchedule, logger: Logger) {
        self.schedule = schedule
        self.logger = logger
    }

    /// The rates of a provider's model, `nil` when unpriced (warned about the first time).
    func rates(provider: String, model: String) -> ModelRates? {
        if let hit = cache.withLock({ $0.byProvider[provider]?[model] }) { return hit }
        let rates = schedule.rates(provider: provider, model: model)
        let first = cache.withLock { c -> Bool in
            if c.count >= Self.capacity { c = (0, [:]) }
            let fresh = c.byProvider[provider, default: [:]].updateValue(rates, forKey: model) == nil
            if fresh { c.count += 1 }
            return fresh
        }
        if rates == nil && first {
            let table = schedule.effectiveDate.isEmpty ? "no price table is configured" : "the price table of \(schedule.effectiveDate) has no price for it"
            logger.warning("LLM model \(model) of \(provider) is unpriced: \(table); its requests are counted in agent_llm_unpriced_requests_total and not in the cost (set metrics.price_table or metrics.prices)")
        }
        return rates
    }
}

/// The per-session usage histograms, observed when a session ends or expires.
struct SessionUsageFamilies: Sendable {
    let tokens, cost, llmCalls, toolCalls: HistogramFamily?

    init(_ histograms: [ObjectIdentifier: HistogramFamily]) {
        tokens = histograms[ObjectIdentifier(SessionEnded.tokensPerSession)]
        cost = histograms[ObjectIdentifier(SessionEnded.costPerSession)]
        llmCalls = histograms[ObjectIdentifier(SessionEnded.llmCallsPerSession)]
        toolCalls = histograms[ObjectIdentifier(SessionEnded.toolCallsPerSession)]
    }

    func observe(_ u: SessionTracker.Usage, exemplar: TraceReference? = nil) {
        tokens?.series.observe(Double(u.tokens), exemplar: exemplar)
        cost?.series.observe(u.costUSD, exemplar: exemplar)
        llmCalls?.series.observe(Double(u.llmCalls), exemplar: exemplar)
        toolCalls?.series.observe(Double(u.toolCalls), exemplar: exemplar)
    }
}

/// Tracks live sessions and users, with an idle timeout and a limit.
final class SessionTracker: Sendable {
    /// What a session used, reported when it ends (or expires).
    struct Usage: Sendable, Hashable {
        var tokens = 0
        var costUSD = 0.0
        var llmCalls = 0
        var toolCalls = 0
    }
    struct Session {
        var user: String
        var lastSeen: Duration
        var requests: Int
        var usage = Usage()

        /// Activity with its usage, in place (one dictionary access for the caller).
        mutating func add(tokens: Int, costUSD: Double, llmCalls: Int, toolCalls: Int, at now: Duration) {
            lastSeen = now
            usage.tokens += tokens
            usage.costUSD += costUSD
            usage.llmCalls += llmCalls
            usage.toolCalls += toolCalls
        }
    }
    struct State {
        var sessions: [String: Session] = [:]
        var usersSessions: [String: Int] = [:]
        var evicted = 0
    }
    let idleTimeout: Duration
    /// Live sessions kept at most; past it the least recently active tenth is evicted (counted).
    let limit: Int
    let clock: TelemetryClock
    private let state = Mutex(State())

    init(idleTimeout: Duration, limit: Int = 100_000, clock: TelemetryClock = .continuous) {
        self.idleTimeout = idleTimeout
        self.limit = max(1, limit)
        self.clock = clock
    }

    /// Returns (active users, active sessions).
    func start(session: String, user: String) -> (Int, Int) {
        let now = clock.now
        return state.withLock { s in
            if let old = s.sessions[session] { Self.dropUser(old.user, &s) }
            if s.sessions[session] == nil && s.sessions.count >= limit { evictLeastRecent(&s) }
            s.sessions[session] = Session(user: user, lastSeen: now, requests: 0)
            s.usersSessions[user, default: 0] += 1
            return (s.usersSessions.count, s.sessions.count)
        }
    }

    /// Removes the least recently active tenth of the sessions (at least one): one sort per
    /// `limit / 10` starts, so the cost per start stays constant.
    private func evictLeastRecent(_ s: inout State) {
        let count = max(1, limit / 10)
        let victims = s.sessions.sorted { $0.value.lastSeen < $1.value.lastSeen }.prefix(count)
        for (id, session) in victims {
            s.sessions.removeValue(forKey: id)
            Self.dropUser(session.user, &s)
        }
        s.evicted += victims.count
    }

    /// Returns the session's request count and usage (nil if unknown) and the new (users, sessions).
    func end(session: String) -> (requests: Int?, usage: Usage?, users: Int, sessions: Int) {
        state.withLock { s in
            guard let old = s.sessions.removeValue(forKey: session) else {
                return (nil, nil, s.usersSessions.count, s.sessions.count)
            }
            Self.dropUser(old.user, &s)
            return (old.requests, old.usage, s.usersSessions.count, s.sessions.count)
        }
    }

    /// Marks activity on a session and counts one request.
    func touch(session: String) {
        let now = clock.now
        state.withLock { s in
            s.sessions[session]?.lastSeen = now
            s.sessions[session]?.requests += 1
        }
    }

    /// Adds to a live session's usage and marks it active; a session that was never started
    /// (or already ended) is not created.
    func addUsage(session: String, tokens: Int = 0, costUSD: Double = 0, llmCalls: Int = 0, toolCalls: Int = 0) {
        let now = clock.now
        state.withLock { s in
            s.sessions[session]?.add(tokens: tokens, costUSD: costUSD, llmCalls: llmCalls, toolCalls: toolCalls, at: now)
        }
    }

    /// Ends sessions idle longer than the timeout. Returns (users, sessions, the usage of each
    /// expired session, sessions evicted by the limit since the last call).
    func expireIdle() -> (users: Int, sessions: Int, expired: [Usage], evicted: Int) {
        let now = clock.now
        return state.withLock { s in
            var expired: [Usage] = []
            for (id, session) in s.sessions where now - session.lastSeen > idleTimeout {
                s.sessions.removeValue(forKey: id)
                Self.dropUser(session.user, &s)
                expired.append(session.usage)
            }
            defer { s.evicted = 0 }
            return (s.usersSessions.count, s.sessions.count, expired, s.evicted)
        }
    }

    private static func dropUser(_ user: String, _ s: inout State) {
        if let n = s.usersSessions[user] {
            if n <= 1 { s.usersSessions.removeValue(forKey: user) } else { s.usersSessions[user] = n - 1 }
        }
    }
}

/// The subscriber that maps standard events to catalog metrics.
public struct StandardSubscriber: TelemetrySubscriber {
    /// The families it updates.
    public let metrics: StandardMetrics

    /// Creates the subscriber.
    public init(metrics: StandardMetrics) { self.metrics = metrics }

    /// `standard_metrics`.
    public var name: String { "standard_metrics" }

    /// Updates metrics for standard events; ignores other events.
    public func handle(_ event: any TelemetryEvent) async throws {
        (event as? any StandardEvent)?.record(into: metrics, exemplar: event.trace ?? TraceReference.ofCurrentEvent)
    }

    /// The event types it handles.
    public static var filter: EventFilter { .only(MetricCatalog.standardEventTypes) }
}

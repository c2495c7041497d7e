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
            let name = d.name(namespace: ns)
            switch d.type {
            case .counter:
                counters[ObjectIdentifier(d)] = try registry.counter(
                    name, help: d.help, unit: d.unit, labelNames: d.labelNames, otlpName: d.otlpName(namespace: ns))
            case .gauge:
                gauges[ObjectIdentifier(d)] = try registry.gauge(
                    name, help: d.help, unit: d.unit, labelNames: d.labelNames, otlpName: d.otlpName(namespace: ns))
            case .histogram:
                // Bucket overrides reach the family through the registry's views.
                histograms[ObjectIdentifier(d)] = try registry.histogram(
                    name, help: d.help, unit: d.unit, labelNames: d.labelNames, buckets: d.buckets,
                    otlpName: d.otlpName(namespace: ns))
            }
        }
        self.counters = counters
        self.gauges = gauges
        self.histograms = histograms
        self.sessions = SessionTracker(idleTimeout: configuration.sessionIdleTimeout, clock: clock)
        self.pricing = PriceLookup(configuration.effectivePrices, logger: registry.logger)
        let tracker = sessions
        let activeUsers = gauges[ObjectIdentifier(SessionStarted.activeUsers)]
        let activeSessions = gauges[ObjectIdentifier(SessionStarted.activeSessions)]
        let expired = counters[ObjectIdentifier(SessionStarted.sessionsExpired)]
        registry.addCollector {
            let (users, sessions, expiredNow) = tracker.expireIdle()
            activeUsers?.series.set(Double(users))
            activeSessions?.series.set(Double(sessions))
            if expiredNow > 0 { expired?.series.increment(by: expiredNow) }
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
    private let cache = Mutex<[String: ModelRates?]>([:])
    /// Models cached before the cache starts over (models are bounded by the cardinality limit
    /// anyway; this bounds memory when they are not).
    static let capacity = 4096

    init(_ schedule: PriceSchedule, logger: Logger) {
        self.schedule = schedule
        self.logger = logger
    }

    /// The rates of a provider's model, `nil` when unpriced (warned about the first time).
    func rates(provider: String, model: String) -> ModelRates? {
        let key = provider + "/" + model
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let rates = schedule.rates(provider: provider, model: model)
        let first = cache.withLock { c -> Bool in
            if c.count >= Self.capacity { c.removeAll(keepingCapacity: true) }
            return c.updateValue(rates, forKey: key) == nil
        }
        if rates == nil && first {
            let table = schedule.effectiveDate.isEmpty ? "no price table is configured" : "the price table of \(schedule.effectiveDate) has no price for it"
            logger.warning("LLM model \(model) of \(provider) is unpriced: \(table); its requests are counted in agent_llm_unpriced_requests_total and not in the cost (set metrics.price_table or metrics.prices)")
        }
        return rates
    }
}

/// Tracks live sessions and users, with an idle timeout.
final class SessionTracker: Sendable {
    struct Session {
        var user: String
        var lastSeen: Duration
        var requests: Int
    }
    struct State {
        var sessions: [String: Session] = [:]
        var usersSessions: [String: Int] = [:]
    }
    let idleTimeout: Duration
    let clock: TelemetryClock
    private let state = Mutex(State())

    init(idleTimeout: Duration, clock: TelemetryClock = .continuous) {
        self.idleTimeout = idleTimeout
        self.clock = clock
    }

    /// Returns (active users, active sessions).
    func start(session: String, user: String) -> (Int, Int) {
        state.withLock { s in
            if let old = s.sessions[session] { Self.dropUser(old.user, &s) }
            s.sessions[session] = Session(user: user, lastSeen: clock.now, requests: 0)
            s.usersSessions[user, default: 0] += 1
            return (s.usersSessions.count, s.sessions.count)
        }
    }

    /// Returns the session's request count (nil if unknown) and the new (users, sessions).
    func end(session: String) -> (requests: Int?, users: Int, sessions: Int) {
        state.withLock { s in
            guard let old = s.sessions.removeValue(forKey: session) else {
                return (nil, s.usersSessions.count, s.sessions.count)
            }
            Self.dropUser(old.user, &s)
            return (old.requests, s.usersSessions.count, s.sessions.count)
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

    /// Ends sessions idle longer than the timeout. Returns (users, sessions, expired).
    func expireIdle() -> (Int, Int, Int) {
        let now = clock.now
        return state.withLock { s in
            var expired = 0
            for (id, session) in s.sessions where now - session.lastSeen > idleTimeout {
                s.sessions.removeValue(forKey: id)
                Self.dropUser(session.user, &s)
                expired += 1
            }
            return (s.usersSessions.count, s.sessions.count, expired)
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
        event._recordStandardMetrics(metrics)
    }

    /// The event types it handles.
    public static var filter: EventFilter { .only(MetricCatalog.standardEventTypes) }
}

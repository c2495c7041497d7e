import Synchronization

/// The spend of every budgeted subject: charged by `Telemetry.emit` when a `ProviderRequest`
/// is emitted (so a question asked right after the call includes it), read by
/// `Telemetry.budget(session:)` and its siblings, published as gauges at each collection.
///
/// Memory: one meter per budget and subject (a session's meter goes when its `SessionEnded`
/// is emitted); at most `capacity` per budget, past which the least recently charged tenth is
/// dropped. A rolling meter holds 60 slots.
package final class BudgetLedger: Sendable {
    /// The spend-vs-limit gauges and the utilisation gauge, declared once here (`MetricCatalog`
    /// lists them with the pipeline's metrics).
    static let limitMetric = MetricDescriptor(
        "budget_limit", .gauge, help: "The configured limit of each budget, in its unit (US dollars or tokens).",
        unit: .annotation("unit"), labels: ["budget", "scope", "unit"], category: .llmUsage,
        labelGuidance: BudgetExceeded.budgetGuidance, origin: .pipeline)
    static let spentMetric = MetricDescriptor(
        "budget_spent", .gauge,
        help: "Spend in the current window of agent and model budgets, by subject (the agent or model), in the budget's unit; session budgets are summed up by budget_utilization_max_ratio instead (session IDs are not labels).",
        unit: .annotation("unit"), labels: ["budget", "scope", "unit", "subject"], category: .llmUsage,
        labelGuidance: BudgetExceeded.budgetGuidance.merging(["subject": "bounded: the agents or models the budget matches"]) { a, _ in a },
        origin: .pipeline)
    static let utilizationMetric = MetricDescriptor(
        "budget_utilization_max_ratio", .gauge,
        help: "The highest spend-to-limit ratio of any subject (session, agent or model) of each budget in its current window; 1 or more means some subject reached the limit.",
        unit: .ratio, labels: ["budget", "scope", "unit"], category: .llmUsage, labelGuidance: BudgetExceeded.budgetGuidance,
        promQL: "max by (budget) ({ns}_budget_utilization_max_ratio)", origin: .pipeline)
    /// The ledger's own descriptors.
    static let metrics = [limitMetric, spentMetric, utilizationMetric]

    /// One subject's spend against one budget. Dollars are counted in whole nanodollars, so
    /// that sums are exact: ten calls of $0.01 reach a $0.10 limit on the tenth (in binary
    /// floating point they add up to 0.09999999999999999), and a rolling window's subtractions
    /// leave no rounding behind.
    struct Meter {
        var nanoUSD: Int64 = 0
        var tokens = 0
        /// Per-slot spend of a rolling window (empty for a life window).
        var slotUSD: [Int64] = []
        var slotTokens: [Int] = []
        /// The absolute slot (time / slot length) of the newest spend.
        var head: Int64 = 0
        /// Whether the limit was reported reached in the current window.
        var overUSD = false
        var overTokens = false
        /// The ledger's sequence number at the last charge (for eviction).
        var touched: UInt64 = 0

        /// Moves a rolling window to `slot`, dropping the spend of the slots it leaves.
        mutating func advance(to slot: Int64, limits: Limits) {
            guard !slotUSD.isEmpty, slot > head else { return }
            let steps = slot - head
            if steps >= Int64(Budget.slots) {
                for i in slotUSD.indices { slotUSD[i] = 0; slotTokens[i] = 0 }
                nanoUSD = 0
                tokens = 0
            } else {
                for step in 1...steps {
                    let i = Int((head + step) % Int64(Budget.slots))
                    nanoUSD -= slotUSD[i]
                    tokens -= slotTokens[i]
                    slotUSD[i] = 0
                    slotTokens[i] = 0
                }
            }
            head = slot
            // The spend fell back below a reached limit: the next crossing is reported again.
            if overUSD, let limit = limits.nanoUSD, nanoUSD < limit { overUSD = false }
            if overTokens, let limit = limits.tokens, tokens < limit { overTokens = false }
        }
    }

    /// A budget's limits as the meters count them.
    struct Limits {
        var nanoUSD: Int64?
        var usd: Double?
        var tokens: Int?
    }

    /// Whole nanodollars of `usd`.
    @inline(__always)
    static func nano(_ usd: Double) -> Int64 { Int64((usd * 1e9).rounded()) }

    struct State {
        /// Meters by budget (the ledger's index), then subject.
        var meters: [[String: Meter]]
        /// Glob answers by budget, then agent or model name (bounded).
        var matches: [[String: Bool]]
        var sequence: UInt64 = 0
    }

    let budgets: [Budget]
    let clock: TelemetryClock
    let pricing: PriceLookup
    /// Subjects kept per budget.
    let capacity: Int
    /// Budget indices by scope.
    let sessionBudgets: [Int]
    let agentBudgets: [Int]
    let modelBudgets: [Int]
    /// Slot length in nanoseconds by budget, 0 for a life window.
    let slotNanoseconds: [Int64]
    /// Limits by budget, in the meters' units.
    let limits: [Limits]
    /// Scopes with a rolling budget (a question about them reads the clock).
    let rollingScopes: Set<Budget.Scope>
    private let patterns: [[UInt8]]
    private let state: Mutex<State>
    /// Glob answers cached per budget before the cache starts over.
    static let matchCacheCapacity = 4096

    /// A ledger for `budgets` (already validated); `pricing` prices the calls as the cost metric does.
    init(budgets: [Budget], pricing: PriceLookup, clock: TelemetryClock, capacity: Int) {
        self.budgets = budgets
        self.pricing = pricing
        self.clock = clock
        self.capacity = max(1, capacity)
        sessionBudgets = budgets.indices.filter { budgets[$0].scope == .session }
        agentBudgets = budgets.indices.filter { budgets[$0].scope == .agent }
        modelBudgets = budgets.indices.filter { budgets[$0].scope == .model }
        slotNanoseconds = budgets.map { b in
            guard let length = b.windowLength else { return 0 }
            return max(1, Self.nanoseconds(length) / Int64(Budget.slots))
        }
        patterns = budgets.map { Array($0.match.utf8) }
        limits = budgets.map { Limits(nanoUSD: $0.usd.map(Self.nano), usd: $0.usd, tokens: $0.tokens) }
        rollingScopes = Set(budgets.filter { $0.windowLength != nil }.map(\.scope))
        state = Mutex(State(meters: Array(repeating: [:], count: budgets.count), matches: Array(repeating: [:], count: budgets.count)))
    }

    /// Runs `body` on a meter in place (one hash of the subject for the whole update).
    @inline(__always)
    static func modify<R>(_ meter: inout Meter, _ body: (inout Meter) -> R) -> R { body(&meter) }

    static func nanoseconds(_ d: Duration) -> Int64 {
        let (s, atto) = d.components
        return s &* 1_000_000_000 &+ atto / 1_000_000_000
    }

    // MARK: Charging

    /// Charges a provider request to every budget it falls under; returns the limits it made
    /// reached (usually none: no allocation then).
    func charge(_ r: ProviderRequest) -> [BudgetExceeded] {
        let provider = r.provider.labelValue
        let billed = r.tokens.billed(.of(provider: provider, model: r.model))
        let tokens = billed.input + billed.cacheRead + billed.cacheCreation + billed.output + billed.reasoning
        guard tokens > 0 else { return [] }
        var usd = 0.0
        if let rates = pricing.rates(provider: provider, model: r.model) {
            for kind in TokenKind.allCases where billed[kind] > 0 { usd += Double(billed[kind]) * rates.rate(kind) / 1_000_000 }
        }
        let nanoUSD = Self.nano(usd)
        let now = Self.nanoseconds(clock.now)
        return state.withLock { s -> [BudgetExceeded] in
            var crossed: [BudgetExceeded] = []
            s.sequence &+= 1
            if let session = r.sessionID {
                for b in sessionBudgets { charge(b, session, nanoUSD: nanoUSD, tokens: tokens, now: now, &s, &crossed, trace: r.trace) }
            }
            if let agent = r.agentName {
                for b in agentBudgets where matches(b, agent, &s) { charge(b, agent, nanoUSD: nanoUSD, tokens: tokens, now: now, &s, &crossed, trace: r.trace) }
            }
            for b in modelBudgets where matches(b, r.model, &s) { charge(b, r.model, nanoUSD: nanoUSD, tokens: tokens, now: now, &s, &crossed, trace: r.trace) }
            return crossed
        }
    }

    private func charge(_ b: Int, _ subject: String, nanoUSD: Int64, tokens: Int, now: Int64, _ s: inout State,
                        _ crossed: inout [BudgetExceeded], trace: TraceReference?) {
        let budget = budgets[b]
        let limit = limits[b]
        let sequence = s.sequence
        let slot = slotNanoseconds[b] > 0 ? now / slotNanoseconds[b] : 0
        // One hash for a known subject: the meter is changed in place through its index.
        if let index = s.meters[b].index(forKey: subject) {
            add(to: &s.meters[b].values[index], budget: budget, limit: limit, subject: subject, slot: slot, nanoUSD: nanoUSD,
                tokens: tokens, sequence: sequence, &crossed, trace: trace)
            return
        }
        if s.meters[b].count >= capacity { evict(b, &s) }
        var fresh = Meter()
        if slotNanoseconds[b] > 0 {
            fresh.slotUSD = Array(repeating: 0, count: Budget.slots)
            fresh.slotTokens = Array(repeating: 0, count: Budget.slots)
            fresh.head = now / slotNanoseconds[b]
        }
        add(to: &fresh, budget: budget, limit: limit, subject: subject, slot: slot, nanoUSD: nanoUSD, tokens: tokens,
            sequence: sequence, &crossed, trace: trace)
        s.meters[b][subject] = fresh
    }

    /// Adds one request's spend to a subject's meter and reports the limits it crossed.
    private func add(to m: inout Meter, budget: Budget, limit: Limits, subject: String, slot: Int64,
                     nanoUSD: Int64, tokens: Int, sequence: UInt64, _ crossed: inout [BudgetExceeded], trace: TraceReference?) {
        m.advance(to: slot, limits: limit)
        m.nanoUSD += nanoUSD
        m.tokens += tokens
        if !m.slotUSD.isEmpty {
            let i = Int(slot % Int64(Budget.slots))
            m.slotUSD[i] += nanoUSD
            m.slotTokens[i] += tokens
        }
        m.touched = sequence
        let window = budget.windowLength
        if let nanoLimit = limit.nanoUSD, let usdLimit = budget.usd, !m.overUSD, m.nanoUSD >= nanoLimit {
            m.overUSD = true
            var e = BudgetExceeded(budget: budget.name, scope: budget.scope, subject: subject, unit: .usd,
                                   limit: usdLimit, spent: Double(m.nanoUSD) / 1e9, window: window)
            e.trace = trace
            crossed.append(e)
        }
        if let limit = budget.tokens, !m.overTokens, m.tokens >= limit {
            m.overTokens = true
            var e = BudgetExceeded(budget: budget.name, scope: budget.scope, subject: subject, unit: .tokens,
                                   limit: Double(limit), spent: Double(m.tokens), window: window)
            e.trace = trace
            crossed.append(e)
        }
    }

    /// Drops the least recently charged tenth of a budget's subjects (at least one).
    private func evict(_ b: Int, _ s: inout State) {
        let victims = s.meters[b].sorted { $0.value.touched < $1.value.touched }.prefix(max(1, capacity / 10))
        for (subject, _) in victims { s.meters[b].removeValue(forKey: subject) }
    }

    /// Whether budget `b` covers the agent or model `name`.
    private func matches(_ b: Int, _ name: String, _ s: inout State) -> Bool {
        if budgets[b].match == "*" { return true }
        if let known = s.matches[b][name] { return known }
        let answer = Glob.matches(pattern: patterns[b], name: Array(name.utf8))
        if s.matches[b].count >= Self.matchCacheCapacity { s.matches[b] = [:] }
        s.matches[b][name] = answer
        return answer
    }

    /// Forgets a session's meters (its `SessionEnded` was emitted).
    func end(session: String) {
        guard !sessionBudgets.isEmpty else { return }
        state.withLock { s in
            for b in sessionBudgets { s.meters[b].removeValue(forKey: session) }
        }
    }

    // MARK: Reading

    /// Where `subject` stands against the budgets of `scope`. No allocation; one hash of the
    /// subject per budget of the scope, and a clock read only when the scope has a rolling budget.
    func status(_ scope: Budget.Scope, _ subject: String) -> BudgetStatus {
        let indices: [Int]
        switch scope {
        case .session: indices = sessionBudgets
        case .agent: indices = agentBudgets
        case .model: indices = modelBudgets
        }
        if indices.isEmpty { return .unlimited }
        let now = rollingScopes.contains(scope) ? Self.nanoseconds(clock.now) : 0
        return state.withLock { s -> BudgetStatus in
            var status = BudgetStatus.unlimited
            var leastNanoUSD = Int64.max
            var leastTokens = Int.max
            for b in indices {
                if scope != .session && !matches(b, subject, &s) { continue }
                let limit = limits[b]
                var nanoUSD: Int64 = 0, tokens = 0
                if let i = s.meters[b].index(forKey: subject) {
                    let step = slotNanoseconds[b]
                    if step > 0 { s.meters[b].values[i].advance(to: now / step, limits: limit) }
                    nanoUSD = s.meters[b].values[i].nanoUSD
                    tokens = s.meters[b].values[i].tokens
                }
                if let cap = limit.nanoUSD {
                    if nanoUSD >= cap { status.isOver = true }
                    if cap - nanoUSD < leastNanoUSD {
                        leastNanoUSD = cap - nanoUSD
                        status.limitUSD = limit.usd
                        status.spentUSD = Double(nanoUSD) / 1e9
                    }
                }
                if let cap = limit.tokens {
                    if tokens >= cap { status.isOver = true }
                    if cap - tokens < leastTokens {
                        leastTokens = cap - tokens
                        status.limitTokens = cap
                        status.spentTokens = tokens
                    }
                }
            }
            return status
        }
    }

    // MARK: Publishing

    /// The gauges: registers them in `registry` and keeps them current at each collection.
    func publish(into registry: MetricRegistry, namespace: String) {
        let limitGauges = registry.gauge(Self.limitMetric, namespace: namespace)
        let spent = registry.gauge(Self.spentMetric, namespace: namespace)
        let utilization = registry.gauge(Self.utilizationMetric, namespace: namespace)
        for b in budgets {
            if let usd = b.usd { limitGauges.labels(b.name, b.scope.rawValue, Budget.Unit.usd.rawValue).set(usd) }
            if let tokens = b.tokens { limitGauges.labels(b.name, b.scope.rawValue, Budget.Unit.tokens.rawValue).set(Double(tokens)) }
        }
        registry.addCollector { [self] in
            for (b, budget) in budgets.enumerated() {
                let rows = readings(b)
                for (unit, limit) in budget.limits {
                    var highest = 0.0
                    for row in rows {
                        let value = unit == .usd ? row.usd : Double(row.tokens)
                        highest = max(highest, value / limit)
                        if budget.scope != .session {
                            spent.labels(budget.name, budget.scope.rawValue, unit.rawValue, row.subject).set(value)
                        }
                    }
                    utilization.labels(budget.name, budget.scope.rawValue, unit.rawValue).set(highest)
                }
            }
        }
    }

    /// Every subject's spend of budget `b` in its current window.
    func readings(_ b: Int) -> [(subject: String, usd: Double, tokens: Int)] {
        let now = Self.nanoseconds(clock.now)
        let limit = limits[b]
        let slot = slotNanoseconds[b] > 0 ? now / slotNanoseconds[b] : 0
        return state.withLock { s in
            var out: [(subject: String, usd: Double, tokens: Int)] = []
            out.reserveCapacity(s.meters[b].count)
            for subject in Array(s.meters[b].keys) {
                Self.modify(&s.meters[b][subject, default: Meter()]) { m in
                    m.advance(to: slot, limits: limit)
                    out.append((subject, Double(m.nanoUSD) / 1e9, m.tokens))
                }
            }
            return out
        }
    }
}

extension Budget {
    /// The limits given, as (unit, value).
    var limits: [(Budget.Unit, Double)] {
        (usd.map { [(Budget.Unit.usd, $0)] } ?? []) + (tokens.map { [(Budget.Unit.tokens, Double($0))] } ?? [])
    }
}

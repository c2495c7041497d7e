/// A spend limit the agent can ask about while it runs (`budgets:` in the configuration file):
/// US dollars from the price table, tokens, or both, per session, per agent or per model, over
/// a session's or the process's life or a rolling window.
///
/// Every `ProviderRequest` is charged to the budgets it falls under when it is emitted, so
/// `Telemetry.budget(session:)` answers with the call just emitted included. Crossing a limit
/// emits ``BudgetExceeded`` once per limit and window.
///
/// ```yaml
/// budgets:
///   - {name: session_cap, scope: session, usd: 2.00}
///   - {name: researcher_hourly, scope: agent, match: researcher, tokens: 500000, window: 1h}
///   - {name: gpt4o_daily, scope: model, match: "gpt-4o*", usd: 50, window: 24h}
/// ```
public struct Budget: Sendable, Hashable {
    /// What a budget's spend is counted per.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// Each session (`ProviderRequest.sessionID`) separately; requests with no session are not charged.
        case session
        /// Each agent (`ProviderRequest.agentName`) that `match` selects, separately.
        case agent
        /// Each model (`ProviderRequest.model`, as requested) that `match` selects, separately.
        case model
    }

    /// The time a budget's spend is counted over.
    public enum Window: Sendable, Hashable {
        /// A session's whole life (session budgets); the process's life for agent and model budgets.
        case life
        /// The last `Duration`, in 60 slots (the spend leaves the window one slot, 1/60 of it, at a time).
        case rolling(Duration)
    }

    /// The unit of one limit.
    public enum Unit: String, Sendable, Hashable, CaseIterable {
        /// US dollars from the price table (an unpriced model's calls cost nothing here; they are
        /// counted in `agent_llm_unpriced_requests_total`).
        case usd
        /// Billed tokens: prompt (input, cache reads and writes) plus completion (output, reasoning).
        case tokens
    }

    /// The budget's name: the `budget` label of its metrics and events.
    public var name: String
    /// What the spend is counted per.
    public var scope: Scope
    /// Which agents or models the budget covers, a glob (`*` any run of characters, `?` one):
    /// agent and model budgets only; `*` (every one, each separately) by default.
    public var match: String
    /// The limit in US dollars, if any.
    public var usd: Double?
    /// The limit in tokens, if any.
    public var tokens: Int?
    /// The time the spend is counted over.
    public var window: Window

    /// Creates a budget; give `usd`, `tokens` or both.
    public init(name: String, scope: Scope, match: String = "*", usd: Double? = nil, tokens: Int? = nil, window: Window = .life) {
        self.name = name
        self.scope = scope
        self.match = match
        self.usd = usd
        self.tokens = tokens
        self.window = window
    }

    /// Slots of a rolling window.
    static let slots = 60
    /// The longest rolling window (a year).
    public static let longestWindow: Duration = .seconds(366 * 86_400)
    /// The shortest rolling window.
    public static let shortestWindow: Duration = .seconds(1)

    /// The window's length, nil for `.life`.
    public var windowLength: Duration? {
        if case .rolling(let d) = window { return d }
        return nil
    }

    /// The problems of this budget alone, with paths inside its entry (`usd`, `window`).
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if name.isEmpty {
            issues.append(ConfigurationIssue(["name"], "is empty: a budget needs a name (it is the budget label of its metrics)"))
        } else if !name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "_-.".unicodeScalars.contains($0)) }) {
            issues.append(ConfigurationIssue(["name"], "\(ConfigurationText.quotedForMessage(name)) may hold only letters, digits, '_', '-' and '.'"))
        }
        if usd == nil && tokens == nil {
            issues.append(ConfigurationIssue([], "gives no limit: set usd, tokens or both"))
        }
        if let usd, !(usd.isFinite && usd > 0) {
            issues.append(ConfigurationIssue(["usd"], "\(usd) is not a limit: it must be a positive number of US dollars"))
        }
        if let tokens, tokens <= 0 {
            issues.append(ConfigurationIssue(["tokens"], "\(tokens) is not a limit: it must be a positive number of tokens"))
        }
        if scope == .session && match != "*" {
            issues.append(ConfigurationIssue(["match"], "a session budget covers every session; match selects agents or models (scope agent or model)"))
        }
        if match.isEmpty { issues.append(ConfigurationIssue(["match"], "is empty: use \"*\" for every \(scope.rawValue)")) }
        if let length = windowLength, !(Self.shortestWindow...Self.longestWindow).contains(length) {
            issues.append(ConfigurationIssue(["window"], "\(ConfigDuration(length)) is out of range \(ConfigDuration(Self.shortestWindow))…\(ConfigDuration(Self.longestWindow))"))
        }
        return issues
    }

    /// The problems of a list of budgets, with paths from the top of the file (`budgets[1].usd`),
    /// including names used twice.
    public static func validate(_ budgets: [Budget]) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        var seen: Set<String> = []
        for (i, b) in budgets.enumerated() {
            let entry = "budgets[\(i)]"
            issues += b.validate().map { $0.prefixed(by: [entry]) }
            if !b.name.isEmpty && !seen.insert(b.name).inserted {
                issues.append(ConfigurationIssue([entry, "name"], "\(ConfigurationText.quotedForMessage(b.name)) is the name of an earlier budget"))
            }
        }
        return issues
    }

    /// The problems of the USD limits against the prices in force: a USD budget with no price
    /// table at all, and a model budget whose models have no price (their spend would stay $0).
    public static func priceIssues(_ budgets: [Budget], prices: PriceSchedule) -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        for (i, b) in budgets.enumerated() where b.usd != nil {
            let path = ["budgets[\(i)]", "usd"]
            if prices.entries.isEmpty {
                issues.append(ConfigurationIssue(path, "no price table is configured, so every call costs $0 here: set metrics.price_table or metrics.prices, or limit tokens"))
            } else if b.scope == .model && !prices.prices(modelsMatching: b.match) {
                issues.append(ConfigurationIssue(path, "no model matching \(ConfigurationText.quotedForMessage(b.match)) has a price (price table \(prices.effectiveDate.isEmpty ? "of metrics.prices" : "of " + prices.effectiveDate)), so its spend would stay $0"))
            }
        }
        return issues
    }
}

extension PriceSchedule {
    /// Whether some model matching the glob `pattern` has a price: an entry's model or alias
    /// matched by the pattern, or (for a glob entry) the pattern itself matched by the entry.
    func prices(modelsMatching pattern: String) -> Bool {
        let p = Array(pattern.utf8)
        return entries.contains { e in
            ([e.model] + e.aliases).contains { Glob.matches(pattern: p, name: Array($0.utf8)) }
                || (e.isGlob && Glob.matches(pattern: Array(e.model.utf8), name: p))
        }
    }
}

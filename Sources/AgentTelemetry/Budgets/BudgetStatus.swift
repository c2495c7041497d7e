/// Where a session, agent or model stands against the budgets of its scope: the answer of
/// `Telemetry.budget(session:)`, `budget(agent:)` and `budget(model:)`.
///
/// With several budgets in a scope, each unit reports the limit closest to being used up (the
/// least remaining) in that limit's window. A plain value: reading it allocates nothing.
public struct BudgetStatus: Sendable, Hashable {
    /// The USD limit with the least remaining, nil when no USD budget covers the subject.
    public var limitUSD: Double?
    /// The spend counted against `limitUSD` in its window (0 when no USD budget covers it).
    public var spentUSD: Double
    /// The token limit with the least remaining, nil when no token budget covers the subject.
    public var limitTokens: Int?
    /// The tokens counted against `limitTokens` in its window.
    public var spentTokens: Int
    /// Whether some limit of the scope is reached (spend at or above it): the agent should stop.
    public var isOver: Bool

    /// No budget covers the subject.
    public static let unlimited = BudgetStatus(limitUSD: nil, spentUSD: 0, limitTokens: nil, spentTokens: 0, isOver: false)

    /// Creates a status.
    public init(limitUSD: Double?, spentUSD: Double, limitTokens: Int?, spentTokens: Int, isOver: Bool) {
        self.limitUSD = limitUSD
        self.spentUSD = spentUSD
        self.limitTokens = limitTokens
        self.spentTokens = spentTokens
        self.isOver = isOver
    }

    /// US dollars left under `limitUSD` (never below 0), nil when no USD budget applies.
    public var remainingUSD: Double? { limitUSD.map { max(0, $0 - spentUSD) } }
    /// Tokens left under `limitTokens` (never below 0), nil when no token budget applies.
    public var remainingTokens: Int? { limitTokens.map { max(0, $0 - spentTokens) } }
    /// Whether any budget covers the subject.
    public var isLimited: Bool { limitUSD != nil || limitTokens != nil }
}

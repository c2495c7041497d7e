extension BudgetExceeded: StandardEvent {
    static let budgetGuidance = [
        "budget": "bounded: the names of the configured budgets",
        "scope": "bounded: session, agent, model",
        "unit": "bounded: usd, tokens",
    ]

    /// `budget_exceeded_total{budget,scope,unit}`: limits reached (the subject is in the event, not a label).
    public static let exceeded = MetricDescriptor(
        "budget_exceeded_total", .counter,
        help: "Budget limits reached, once per subject, limit and window (the session, agent or model is in the budget_exceeded event, not a label).",
        unit: .annotation("event"), labels: ["budget", "scope", "unit"], category: .llmUsage, labelGuidance: budgetGuidance,
        promQL: "sum by (budget) (increase({ns}_budget_exceeded_total[1h]))")

    public static var metrics: [MetricDescriptor] { [exceeded] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.exceeded)?.labels(budget, scope.rawValue, unit.rawValue).increment(exemplar: exemplar)
    }
}

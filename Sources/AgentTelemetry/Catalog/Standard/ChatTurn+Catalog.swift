extension ChatTurn: StandardEvent {
    /// `chat_turns_total{outcome}`.
    public static let turns = MetricDescriptor(
        "chat_turns_total", .counter, help: "Chat turns by outcome.", unit: .annotation("turn"), labels: ["outcome"], category: .functional,
        labelGuidance: ["outcome": "bounded"],
        promQL: "sum(rate({ns}_chat_turns_total{outcome=\"success\"}[5m])) / sum(rate({ns}_chat_turns_total[5m]))")
    /// `chat_turn_duration_seconds`.
    public static let duration = MetricDescriptor(
        "chat_turn_duration_seconds", .histogram, help: "Chat turn duration, end to end.", unit: .seconds,
        buckets: Buckets.agentLatency, category: .performance,
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_chat_turn_duration_seconds_bucket[5m])))")

    public static var metrics: [MetricDescriptor] { [turns, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.turns)?.labels(outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
        if let sessionID { m.sessions.touch(session: sessionID) }
    }
}

extension SessionEnded: StandardEvent {
    /// `session_duration_seconds`.
    public static let duration = MetricDescriptor(
        "session_duration_seconds", .histogram, help: "Session duration.", unit: .seconds,
        buckets: Buckets.longDuration, category: .business,
        promQL: "histogram_quantile(0.5, sum by (le) (rate({ns}_session_duration_seconds_bucket[1h])))")
    /// `session_requests`.
    public static let requestsPerSession = MetricDescriptor(
        "session_requests", .histogram, help: "Requests and chat turns per ended session.",
        buckets: Buckets.smallCounts, category: .business,
        promQL: "sum(rate({ns}_session_requests_sum[1h])) / sum(rate({ns}_session_requests_count[1h]))")
    /// `sessions_ended_total`.
    public static let ended = MetricDescriptor(
        "sessions_ended_total", .counter, help: "Sessions ended by an end event.", category: .business)

    public static var metrics: [MetricDescriptor] { [duration, requestsPerSession, ended] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.ended)?.series.increment()
        m.histogram(Self.duration)?.series.observe(duration)
        let (requests, users, sessions) = m.sessions.end(session: sessionID)
        if let requests { m.histogram(Self.requestsPerSession)?.series.observe(requests) }
        m.gauge(SessionStarted.activeUsers)?.series.set(Double(users))
        m.gauge(SessionStarted.activeSessions)?.series.set(Double(sessions))
    }
}

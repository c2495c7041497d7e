extension SessionStarted: StandardEvent {
    /// `sessions_started_total`.
    public static let started = MetricDescriptor(
        "sessions_started_total", .counter, help: "Sessions started.", unit: .annotation("session"), category: .business)
    /// `active_sessions`.
    public static let activeSessions = MetricDescriptor(
        "active_sessions", .gauge, help: "Sessions started and not yet ended or expired.", unit: .annotation("session"), category: .business)
    /// `active_users`.
    public static let activeUsers = MetricDescriptor(
        "active_users", .gauge, help: "Distinct users with at least one active session (idle sessions expire).", unit: .annotation("user"), category: .business)
    /// `sessions_expired_total`.
    public static let sessionsExpired = MetricDescriptor(
        "sessions_expired_total", .counter, help: "Sessions ended by the idle timeout because no end event arrived.", unit: .annotation("session"), category: .business)

    /// `sessions_evicted_total`.
    public static let sessionsEvicted = MetricDescriptor(
        "sessions_evicted_total", .counter,
        help: "Live sessions dropped from tracking because metrics.session_limit was reached (their usage is not reported).",
        unit: .annotation("session"), category: .business)

    public static var metrics: [MetricDescriptor] { [started, activeSessions, activeUsers, sessionsExpired, sessionsEvicted] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.started)?.series.increment(exemplar: exemplar)
        let (users, sessions) = m.sessions.start(session: sessionID, user: userID)
        m.gauge(Self.activeUsers)?.series.set(Double(users))
        m.gauge(Self.activeSessions)?.series.set(Double(sessions))
    }
}

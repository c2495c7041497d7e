/// The agent's API handled an HTTP request.
public struct RequestHandled: StandardEvent {
    public static let eventName = "request_handled"
    /// When the response was sent.
    public var timestamp: EventTimestamp
    /// The route template (`/v1/chat`), not the raw path with ids, to keep the label bounded.
    public var endpoint: String
    /// HTTP method.
    public var method: String
    /// HTTP status code.
    public var status: Int
    /// Time from request to response.
    public var duration: Duration
    /// The session, when known.
    public var sessionID: String?

    /// Creates the event.
    public init(endpoint: String, method: String = "GET", status: Int, duration: Duration,
                sessionID: String? = nil, timestamp: EventTimestamp = .now) {
        self.endpoint = endpoint
        self.method = method
        self.status = status
        self.duration = duration
        self.sessionID = sessionID
        self.timestamp = timestamp
    }

    /// `requests_total{endpoint,method,status}`.
    public static let requests = MetricDescriptor(
        "requests_total", .counter, help: "Requests handled, by endpoint, method and status code.",
        labels: ["endpoint", "method", "status"], category: .business,
        labelGuidance: ["endpoint": "route template; keep it bounded (no ids)", "method": "bounded", "status": "bounded: HTTP status codes"],
        promQL: "sum(rate({ns}_requests_total{status=~\"5..\"}[5m])) / sum(rate({ns}_requests_total[5m]))")
    /// `request_duration_seconds{endpoint,method}`.
    public static let duration = MetricDescriptor(
        "request_duration_seconds", .histogram, help: "Request duration.", unit: .seconds,
        labels: ["endpoint", "method"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["endpoint": "route template", "method": "bounded"],
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_request_duration_seconds_bucket[5m])))")

    public static var metrics: [MetricDescriptor] { [requests, duration] }

    public func record(into m: StandardMetrics) {
        m.counter(Self.requests)?.labels(endpoint, method, String(status)).increment()
        m.histogram(Self.duration)?.labels(endpoint, method).observe(duration)
        if let sessionID { m.sessions.touch(session: sessionID) }
    }
}

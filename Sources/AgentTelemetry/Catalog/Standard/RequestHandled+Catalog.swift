extension RequestHandled: StandardEvent {
    /// `requests_total{endpoint,method,status}`.
    public static let requests = MetricDescriptor(
        "requests_total", .counter, help: "Requests handled, by endpoint, method and status code.",
        unit: .annotation("request"), labels: ["endpoint", "method", "status"], category: .business,
        labelGuidance: ["endpoint": "route template; keep it bounded (no ids)", "method": "bounded", "status": "bounded: HTTP status codes"],
        promQL: "sum(rate({ns}_requests_total{status=~\"5..\"}[5m])) / sum(rate({ns}_requests_total[5m]))")
    /// `request_duration_seconds{endpoint,method}`.
    public static let duration = MetricDescriptor(
        "request_duration_seconds", .histogram, help: "Request duration.", unit: .seconds,
        labels: ["endpoint", "method"], buckets: Buckets.agentLatency, category: .performance,
        labelGuidance: ["endpoint": "route template", "method": "bounded"],
        promQL: "histogram_quantile(0.95, sum by (le) (rate({ns}_request_duration_seconds_bucket[5m])))")

    public static var metrics: [MetricDescriptor] { [requests, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.requests)?.labels(endpoint, method, String(status)).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(endpoint, method).observe(duration, exemplar: exemplar)
        if let sessionID { m.sessions.touch(session: sessionID) }
    }
}

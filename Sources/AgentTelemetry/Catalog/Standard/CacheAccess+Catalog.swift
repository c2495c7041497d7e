extension CacheAccess: StandardEvent {
    /// `cache_requests_total{cache,result}` (hits and misses).
    public static let requests = MetricDescriptor(
        "cache_requests_total", .counter, help: "Cache lookups by cache and result (hit, miss).",
        unit: .annotation("request"), labels: ["cache", "result"], category: .functional,
        labelGuidance: ["cache": "a handful of cache names", "result": "bounded: hit, miss"],
        promQL: "sum by (cache) (rate({ns}_cache_requests_total{result=\"hit\"}[5m])) / sum by (cache) (rate({ns}_cache_requests_total[5m]))")
    /// `cache_evictions_total{cache}`.
    public static let evictions = MetricDescriptor(
        "cache_evictions_total", .counter, help: "Cache evictions by cache.", unit: .annotation("eviction"), labels: ["cache"], category: .functional,
        labelGuidance: ["cache": "a handful of cache names"])

    public static var metrics: [MetricDescriptor] { [requests, evictions] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        switch result {
        case .hit, .miss: m.counter(Self.requests)?.labels(cache, result.labelValue).increment(exemplar: exemplar)
        case .eviction: m.counter(Self.evictions)?.labels(cache).increment(exemplar: exemplar)
        }
    }
}

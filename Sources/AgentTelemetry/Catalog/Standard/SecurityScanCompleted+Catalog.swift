extension SecurityScanCompleted: StandardEvent {
    /// `security_scans_total{scanner,outcome}`.
    public static let scans = MetricDescriptor(
        "security_scans_total", .counter, help: "Security scans by scanner and outcome.", unit: .annotation("scan"), labels: ["scanner", "outcome"],
        category: .security, labelGuidance: ["scanner": "a handful of scanners", "outcome": "bounded"])
    /// `security_scan_duration_seconds{scanner}`.
    public static let duration = MetricDescriptor(
        "security_scan_duration_seconds", .histogram, help: "Security scan duration.", unit: .seconds, labels: ["scanner"],
        buckets: Buckets.longDuration, category: .security, labelGuidance: ["scanner": "a handful of scanners"])

    public static var metrics: [MetricDescriptor] { [scans, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.scans)?.labels(scanner, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(scanner).observe(duration, exemplar: exemplar)
    }
}

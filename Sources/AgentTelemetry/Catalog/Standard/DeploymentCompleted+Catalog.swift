extension DeploymentCompleted: StandardEvent {
    /// `devops_deployments_total{environment,outcome}`.
    public static let deployments = MetricDescriptor(
        "devops_deployments_total", .counter, help: "Deployments by environment and outcome.", unit: .annotation("deployment"), labels: ["environment", "outcome"],
        category: .verticals, labelGuidance: ["environment": "a handful of environments", "outcome": "bounded"],
        promQL: "sum(rate({ns}_devops_deployments_total{outcome=\"failure\"}[1h])) / sum(rate({ns}_devops_deployments_total[1h]))")
    /// `devops_deployment_duration_seconds{environment}`.
    public static let duration = MetricDescriptor(
        "devops_deployment_duration_seconds", .histogram, help: "Deployment duration.", unit: .seconds, labels: ["environment"],
        buckets: Buckets.longDuration, category: .verticals, labelGuidance: ["environment": "a handful of environments"])

    public static var metrics: [MetricDescriptor] { [deployments, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.deployments)?.labels(environment, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.labels(environment).observe(duration, exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .devops, outcome)
    }
}

extension PipelineRunCompleted: StandardEvent {
    /// `devops_pipeline_runs_total{pipeline,outcome}`.
    public static let runs = MetricDescriptor(
        "devops_pipeline_runs_total", .counter, help: "CI pipeline runs by pipeline and outcome.", unit: .annotation("run"), labels: ["pipeline", "outcome"],
        category: .verticals, labelGuidance: ["pipeline": "pipeline names; bounded by the cardinality limit", "outcome": "bounded"])
    /// `devops_pipeline_duration_seconds`.
    public static let duration = MetricDescriptor(
        "devops_pipeline_duration_seconds", .histogram, help: "CI pipeline run duration.", unit: .seconds,
        buckets: Buckets.longDuration, category: .verticals)

    public static var metrics: [MetricDescriptor] { [runs, duration] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.runs)?.labels(pipeline, outcome.labelValue).increment(exemplar: exemplar)
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .devops, outcome)
    }
}

extension CodeAnalysisCompleted: StandardEvent {
    static let languageGuidance = ["language": "programming languages; bounded by the cardinality limit"]

    /// `coding_files_analyzed_total{language}`.
    public static let files = MetricDescriptor(
        "coding_files_analyzed_total", .counter, help: "Files analysed by the coding vertical.", unit: .annotation("file"), labels: ["language"],
        category: .verticals, labelGuidance: languageGuidance)
    /// `coding_lines_reviewed_total{language}`.
    public static let lines = MetricDescriptor(
        "coding_lines_reviewed_total", .counter, help: "Lines of code reviewed.", unit: .annotation("line"), labels: ["language"],
        category: .verticals, labelGuidance: languageGuidance)
    /// `coding_issues_found_total{severity}`.
    public static let issuesFound = MetricDescriptor(
        "coding_issues_found_total", .counter, help: "Code issues found, by severity.", unit: .annotation("issue"), labels: ["severity"],
        category: .verticals, labelGuidance: ["severity": "bounded: critical, high, medium, low, info"])
    /// `coding_analysis_duration_seconds`.
    public static let duration = MetricDescriptor(
        "coding_analysis_duration_seconds", .histogram, help: "Code analysis duration.", unit: .seconds,
        buckets: Buckets.agentLatency, category: .verticals)
    /// `coding_analyses_total{outcome}`.
    public static let analyses = MetricDescriptor(
        "coding_analyses_total", .counter, help: "Code analyses by outcome.", unit: .annotation("analysis"), labels: ["outcome"],
        category: .verticals, labelGuidance: ["outcome": "bounded"])

    public static var metrics: [MetricDescriptor] { [files, lines, issuesFound, duration, analyses] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.files)?.labels(language).increment(by: max(0, filesAnalyzed), exemplar: exemplar)
        m.counter(Self.lines)?.labels(language).increment(by: max(0, linesReviewed), exemplar: exemplar)
        for (severity, count) in issues where count > 0 {
            m.counter(Self.issuesFound)?.labels(severity.labelValue).increment(by: count, exemplar: exemplar)
        }
        m.histogram(Self.duration)?.series.observe(duration, exemplar: exemplar)
        m.counter(Self.analyses)?.labels(outcome.labelValue).increment(exemplar: exemplar)
        m.countVerticalUsage(exemplar: exemplar, .coding, outcome)
    }
}

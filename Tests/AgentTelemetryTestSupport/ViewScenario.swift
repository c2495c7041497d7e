import AgentTelemetry

/// One set of views and one workload, checked in every exporter's output: a dropped label
/// (`model`), a denied glob (`agent_devops_pipeline*`), a rename, and common labels — one of
/// which (`environment`) clashes with a metric's own label.
public enum ViewScenario {
    /// Requests per model; with `model` dropped they export as one series of their sum.
    public static let requestsPerModel = ["gpt-4o": 3, "gpt-4o-mini": 5, "o3": 2]
    /// The sum over models.
    public static var totalRequests: Int { requestsPerModel.values.reduce(0, +) }
    /// Tool executions emitted (exported as `agent_tool_calls_total`).
    public static let toolCalls = 4
    /// The common labels.
    public static let commonLabels = ["environment": "staging", "version": "1.4.2"]

    /// The views under test.
    public static let views = MetricViews(commonLabels: commonLabels, views: [
        MetricView(match: "agent_provider_requests_total", dropLabels: ["model"]),
        MetricView(match: "agent_devops_pipeline*", deny: true),
        MetricView(match: "agent_tool_executions_total", rename: "agent_tool_calls_total"),
    ])

    /// A configuration with the views (no process sampler, so the output is only the workload's).
    public static var configuration: TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.views = views
        return c
    }

    /// Emits the workload: provider requests over three models, tool executions, pipeline runs
    /// (denied), one deployment to `prod` (its `environment` label wins over the common one).
    public static func emitWorkload(_ telemetry: Telemetry) {
        for (model, n) in requestsPerModel.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<n {
                telemetry.emit(ProviderRequest(provider: .openAI, model: model, outcome: .success, latency: .milliseconds(40)))
            }
        }
        for _ in 0..<toolCalls { telemetry.emit(ToolExecuted(tool: "search", vertical: .research, outcome: .success, duration: .milliseconds(3))) }
        for _ in 0..<2 { telemetry.emit(PipelineRunCompleted(pipeline: "ci", outcome: .success, duration: .seconds(30))) }
        telemetry.emit(DeploymentCompleted(environment: "prod", outcome: .success, duration: .seconds(90)))
    }
}

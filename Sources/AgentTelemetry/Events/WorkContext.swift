/// The agent and the tool-calling step the current task works for, so that what they spend is
/// attributed to them without passing names around.
///
/// `Telemetry.track(agent:)` binds the agent and `track(tool:)` the tool for the duration of
/// their body (child tasks inherit it, as they inherit a trace). `ProviderRequest` and
/// `ToolExecuted` take their `agentName` (and a provider request its `toolName`) from here by
/// default, and the token, cost and latency metrics carry it as the opt-in label
/// `gen_ai.agent.name` (`gen_ai_agent_name` on Prometheus) where a view opts in:
///
/// ```yaml
/// metrics:
///   views:
///     - match: agent_llm_cost_usd_total
///       opt_in_labels: [gen_ai.agent.name]
/// ```
public struct WorkContext: Sendable, Hashable {
    /// The agent (`gen_ai.agent.name`), if any.
    public var agent: String?
    /// The tool whose execution is in progress, if any.
    public var tool: String?

    /// Creates a context.
    public init(agent: String? = nil, tool: String? = nil) {
        self.agent = agent
        self.tool = tool
    }

    /// The context of the current task.
    @TaskLocal public static var current = WorkContext()
}

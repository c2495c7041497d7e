public import AgentTelemetry
import Tracing

/// A stand-in agent whose work is traced with swift-distributed-tracing's `withSpan` and measured
/// with AgentTelemetry: each tool call runs in a span of its own, inside one span for the whole
/// question, and `Telemetry.track(tool:)` emits its `ToolExecuted` inside the tool's span.
///
/// The agent knows nothing about exemplars or swift-otel: that is the point. Whatever tracer the
/// process bootstrapped, the tool metrics' exemplars name the tool spans.
public struct ResearchAgent: Sendable {
    /// Where the agent reports.
    public let telemetry: Telemetry
    /// Runs one tool call (its name and the question); the demo sleeps, a test moves a manual clock.
    public let tool: @Sendable (String, String) async throws -> String

    /// Creates an agent reporting to `telemetry`.
    /// - Parameters:
    ///   - telemetry: the pipeline the tool calls are tracked in.
    ///   - tool: the work of one tool call; by default it waits a few milliseconds and answers.
    public init(telemetry: Telemetry,
                tool: @escaping @Sendable (String, String) async throws -> String = ResearchAgent.pretendTool) {
        self.telemetry = telemetry
        self.tool = tool
    }

    /// What one traced tool call reports: the tool, its answer, and the ids swift-otel gave its
    /// span (nil when no tracer made one).
    public struct ToolCall: Sendable {
        /// The tool's name (the `tool` label).
        public var tool: String
        /// What the tool answered.
        public var answer: String
        /// The tool span's ids, as swift-otel reports them.
        public var span: OTelSpanIDs?
    }

    /// Answers `question` with a search and then a fetch: one `agent.answer` span with one child
    /// span per tool call, each call tracked (and so emitted) inside its span.
    public func answer(_ question: String) async throws -> [ToolCall] {
        try await withSpan("agent.answer") { span in
            span.attributes["agent.question"] = question
            var calls: [ToolCall] = []
            for name in ["web_search", "fetch_page"] {
                calls.append(try await call(name, question))
            }
            return calls
        }
    }

    /// One tool call in its own span, tracked by `telemetry`.
    public func call(_ name: String, _ question: String) async throws -> ToolCall {
        try await withSpan("tool.\(name)", ofKind: .client) { span in
            span.attributes["agent.tool"] = name
            let answer = try await telemetry.track(tool: name, vertical: .research) {
                try await tool(name, question)
            }
            return ToolCall(tool: name, answer: answer, span: OTelSpanIDs.current)
        }
    }

    /// The default tool: waits 5 to 40 milliseconds and echoes the question.
    public static func pretendTool(_ name: String, _ question: String) async throws -> String {
        try await Task.sleep(for: .milliseconds(Int.random(in: 5...40)))
        return "\(name): \(question)"
    }
}

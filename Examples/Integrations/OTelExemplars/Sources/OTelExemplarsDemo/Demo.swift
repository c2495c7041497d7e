import AgentTelemetry
import Logging
import OTelExemplars

/// Answers two questions with a traced stand-in agent, then prints the tool metrics in OpenMetrics
/// text next to the span ids swift-otel gave each tool call: the exemplars name those spans.
@main
struct OTelExemplarsDemo {
    static func main() async throws {
        var logger = Logger(label: "otel-exemplars-demo")
        logger.logLevel = .warning

        // 1. swift-otel's tracer becomes the process's instrument (once per process).
        let otel = try OTelTracingSetup.bootstrap(
            configuration: OTelTracingSetup.configuration(serviceName: "otel-exemplars-demo"))
        // 2. AgentTelemetry as usual: the default configuration reads exemplars from the tracer.
        let telemetry = try Telemetry(configuration: TelemetryConfiguration(sampleProcess: false), logger: logger)
        let agent = ResearchAgent(telemetry: telemetry)

        try await runServices(otel: otel, telemetry: telemetry, logger: logger) {
            var calls: [ResearchAgent.ToolCall] = []
            for question in ["what is an exemplar?", "how do traces and metrics meet?"] {
                calls += try await agent.answer(question)
            }
            // An event outside any span: counted and timed, but it leaves no exemplar.
            telemetry.emit(ToolExecuted(tool: "untraced_lookup", vertical: .research, outcome: .success,
                                        duration: .milliseconds(3)))
            await telemetry.flush()

            print("# Tool spans, as swift-otel reports them (trace_id span_id):")
            for call in calls {
                print("#   \(call.tool): \(call.span.map(String.init(describing:)) ?? "no span")")
            }
            print("# OpenMetrics exposition of the tool metrics:")
            let text = openMetricsText(telemetry.registry)
            for line in sampleLines(text, startingWith: "agent_tool_execution") { print(line) }
        }
    }
}

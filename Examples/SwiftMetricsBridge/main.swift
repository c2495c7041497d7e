// SwiftMetricsBridge: libraries instrumented with swift-metrics report into the same registry
// as agent events, and come out of the same exporters.
//
//   swift run SwiftMetricsBridge
import AgentTelemetry
import AgentTelemetryPrometheus
import AgentTelemetrySwiftMetrics
import CoreMetrics

let telemetry = try Telemetry()
MetricsSystem.bootstrap(AgentTelemetryMetricsFactory(registry: telemetry.registry))

// What an HTTP server library built on swift-metrics records:
let requests = CoreMetrics.Counter(label: "http.server.requests", dimensions: [("method", "POST"), ("status", "200")])
let latency = CoreMetrics.Timer(label: "http.server.duration", dimensions: [("route", "/v1/chat")])
for ms in [12, 48, 230] {
    requests.increment()
    latency.recordMilliseconds(ms)
}
// ...next to the agent's own events:
telemetry.emit(ToolExecuted(tool: "search", vertical: .research, outcome: .success, duration: .milliseconds(310)))

try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await telemetry.run() }
    await telemetry.flush()
    let text = PrometheusTextEncoder().encode(telemetry.registry.snapshot())
    for line in String(decoding: text, as: UTF8.self).split(separator: "\n")
    where line.hasPrefix("http_server") || line.hasPrefix("agent_tool_executions_total") {
        print(line)
    }
    await telemetry.shutdown()
}

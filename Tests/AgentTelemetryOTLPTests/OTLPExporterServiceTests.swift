import AgentTelemetry
import AgentTelemetryOTLP
import Foundation
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import ServiceLifecycleTestKit
import Testing

@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPExporterServiceTests {
    @Test func runExportsOnTheIntervalAndOnceMoreOnGracefulShutdown() async throws {
        let receiver = try await OTLPReceiver()
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.")
        calls.series.increment()
        // The interval runs on a manual clock: two ticks are two exports, without waiting 2 minutes.
        let clock = ManualClock()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, exportInterval: .seconds(60), timeout: .seconds(120)), clock: clock.telemetryClock)
        var before = 0
        try await testGracefulShutdown { trigger in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await exporter.run() }
                for tick in 1...2 {
                    await clock.waitForSleepers()
                    clock.advance(by: .seconds(60))
                    await receiver.waitForRecords(tick)
                }
                let periodic = receiver.records()
                #expect(periodic.count >= 2)
                calls.series.increment(by: 41)
                before = receiver.records().count
                trigger.triggerGracefulShutdown()
            }
        }
        let records = receiver.records()
        // One final export. A periodic export that was already on its way when `before` was read
        // may land after it too (exports never overlap, but one may be in flight): a race of the
        // test, not a second final export, so it is allowed for.
        #expect(records.count == before + 1 || records.count == before + 2, "\(records.count - before) exports after the trigger")
        let last = try #require(Decoded.acceptedRequests(records).last)
        let point = try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_calls", in: [last]))
        #expect(Decoded.double(point, "as_double") == 42)
    }

    @Test func gracefulShutdownMakesTheFinalExportOnce() async throws {
        let receiver = try await OTLPReceiver()
        let registry = MetricRegistry()
        try registry.counter("agent_tool_calls_total", help: "Tool calls.").series.increment()
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(endpoint: receiver.endpoint, timeout: .seconds(120)))
        try await testGracefulShutdown { trigger in
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await exporter.run() }
                trigger.triggerGracefulShutdown()
            }
        }
        #expect(receiver.records().count == 1)
    }

    @Test("an invalid configuration is refused when the exporter is created, naming the key, before anything starts")
    func invalidConfigurationIsRefusedAtInit() {
        let error = #expect(throws: ConfigurationIssues.self) {
            try OTLPExporter(registry: MetricRegistry(), configuration: OTLPExporterConfiguration(endpoint: "not a url"))
        }
        #expect(error?.issues.map(\.keyPath).contains(["endpoint"]) == true, "\(String(describing: error))")
    }
}

@Suite(.enabled(if: OTLPReceiver.available, "python3 with opentelemetry-proto is required"))
struct OTLPConcurrentFlushTests {
    @Test func concurrentFlushesWithDeltaNeverCountTwice() async throws {
        let receiver = try await OTLPReceiver()
        let registry = MetricRegistry()
        let calls = try registry.counter("agent_tool_calls_total", help: "Tool calls.")
        let exporter = try OTLPExporter(registry: registry, configuration: OTLPExporterConfiguration(
            endpoint: receiver.endpoint, temporality: .delta, timeout: .seconds(120)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    calls.series.increment(by: 5)
                    try await exporter.forceFlush()
                }
            }
            try await group.waitForAll()
        }
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(8))
        #expect(requests.count == 8)
        let total = try requests.map { try Decoded.firstPoint(try Decoded.requiredMetric("agent_tool_calls", in: [$0])) }
            .compactMap { Decoded.double($0, "as_double") }.reduce(0, +)
        #expect(total == 40)
    }
}

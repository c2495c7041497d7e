import AgentTelemetryTesting
import Foundation
import Synchronization
import Testing
@testable import AgentTelemetry

/// The standard-event machinery (issue 26, item 5): one registration file, no hook on
/// `TelemetryEvent`, and the same path in tests as in production.
@Suite("Standard event registry")
struct StandardEventRegistryTests {
    static let catalogFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/AgentTelemetry/Catalog/Standard")

    @Test("every standard event is in the catalog list (the one a new event is added to)")
    func everyConformanceIsListed() throws {
        var conforming = Set<String>()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.catalogFolder.path)
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: Self.catalogFolder.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("extension ") && line.contains(": StandardEvent") {
                let name = line.dropFirst("extension ".count).prefix { $0.isLetter || $0.isNumber }
                conforming.insert(String(name))
            }
        }
        let listed = MetricCatalog.standardEventTypes.map { String(describing: $0) }
        #expect(conforming.count >= 30, "found \(conforming.count) catalog conformances in \(Self.catalogFolder.path)")
        #expect(Set(listed) == conforming, "listed but not conforming: \(Set(listed).subtracting(conforming)); conforming but not listed: \(conforming.subtracting(listed))")
        #expect(listed.count == Set(listed).count, "a type is listed twice")
    }

    @Test("each standard event type travels by value as its own type")
    func busCasesMapEachTypeToItself() {
        let event = ProviderRequest(provider: .openAI, model: "gpt-4o", outcome: .success, latency: .milliseconds(5))
        let payload = StandardEventPayload(event, trace: nil)
        #expect(ObjectIdentifier(payload.eventType) == ObjectIdentifier(ProviderRequest.self))
        #expect((payload.event as? ProviderRequest)?.model == "gpt-4o")
        let tool = StandardEventPayload(ToolExecuted(tool: "x", outcome: .success, duration: .seconds(1)), trace: nil)
        #expect(ObjectIdentifier(tool.eventType) == ObjectIdentifier(ToolExecuted.self))
    }

    /// Generic agent code that does not know the event is a standard one.
    static func emitGenerically<E: TelemetryEvent>(_ event: E, _ telemetry: Telemetry) { telemetry.emit(event) }

    @Test("a standard event updates the standard metrics and reaches every subscriber however it is emitted",
          arguments: ["static", "generic", "existential", "withUserSubscriber"])
    func everyPathRecords(path: String) async throws {
        try await withTestTelemetry { t in
            let seen = Mutex(0)
            if path == "withUserSubscriber" {
                t.telemetry.subscribe(to: ToolExecuted.self, name: "user") { _ in seen.withLock { $0 += 1 } }
                #expect(t.telemetry.bus.boxesStandardEvents)
            } else {
                #expect(!t.telemetry.bus.boxesStandardEvents, "the test kit's recorder must not make the bus box standard events")
            }
            let trace = try #require(TraceReference(traceIDHigh: 1, traceIDLow: 2, spanID: 3))
            for i in 0..<10 {
                let event = ToolExecuted(tool: "search", vertical: .research, outcome: i.isMultiple(of: 2) ? .success : .failure,
                                         duration: .milliseconds(100))
                trace.withCurrent {
                    switch path {
                    case "generic": Self.emitGenerically(event, t.telemetry)
                    case "existential":
                        let any: any TelemetryEvent = event
                        t.telemetry.emit(any)
                    default: t.emit(event)
                    }
                }
            }
            await t.settle()
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "search", "vertical": "research", "outcome": "success"]) == 5)
            #expect(t.counterValue("agent_tool_executions_total", ["tool": "search", "vertical": "research", "outcome": "failure"]) == 5)
            #expect(t.histogramValue("agent_tool_execution_duration_seconds", ["tool": "search", "vertical": "research"])?.count == 10)
            let exemplar = try #require(t.exemplars("agent_tool_executions_total", ["tool": "search", "vertical": "research", "outcome": "success"]).first ?? nil)
            #expect(exemplar.trace == trace, "the emitting task's trace is the exemplar on every path")
            #expect(t.events(ToolExecuted.self).count == 10)
            #expect(t.allEvents.count == 10)
            if path == "withUserSubscriber" { #expect(seen.withLock { $0 } == 10) }
        }
    }
}

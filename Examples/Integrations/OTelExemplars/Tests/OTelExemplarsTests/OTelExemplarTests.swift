import AgentTelemetry
import AgentTelemetryTesting
import Instrumentation
import Logging
import OTelExemplars
import Testing
import Tracing

/// Exemplars recorded by the standard metrics name the spans of the real swift-otel tracer: the
/// ids `emit` captured from the task's context are compared with the ids swift-otel itself reports
/// (its logging metadata provider, and the `traceparent` its propagator writes, split by hand).
@Suite struct OTelExemplarTests {
    init() throws { try SharedTracer.ensure() }

    @Test func aToolCallInsideASpanIsAnExemplarOfThatSpan() async throws {
        try await withTestTelemetry { t in
            let expected: OTelSpanIDs? = await withSpan("tool.search") { span in
                let ids = OTelSpanIDs.current
                // Two readings of swift-otel's ids, neither through AgentTelemetry's parser.
                #expect(ids != nil, "swift-otel made no recording span: is its tracer bootstrapped?")
                #expect(ids == idsFromTracerPropagation(span.context))
                await t.telemetry.track(tool: "search", vertical: .research) {
                    t.clock.advance(by: .milliseconds(250))
                }
                return ids
            }
            await t.settle()
            let ids = try #require(expected)

            let exemplars = present(t.exemplars(toolDuration, ["tool": "search", "vertical": "research"]))
            try #require(exemplars.count == 1, "one traced observation: one exemplar, got \(exemplars.count)")
            let (slot, exemplar) = exemplars[0]
            #expect(exemplar.trace.traceIDHex == ids.traceID)
            #expect(exemplar.trace.spanIDHex == ids.spanID)
            #expect(exemplar.value == 0.25)
            let bounds = try #require(t.histogramValue(toolDuration, ["tool": "search", "vertical": "research"])?.bounds)
            #expect(slot == bucketIndex(0.25, bounds: bounds), "the exemplar sits in the bucket its value fell in")

            let counterSlots = t.exemplars(toolExecutions, ["tool": "search", "vertical": "research", "outcome": "success"])
            #expect(counterSlots.count == 1, "a counter has one exemplar slot")
            let counted = try #require(counterSlots.first ?? nil, "the counter has no exemplar")
            #expect(counted.trace.traceIDHex == ids.traceID)
            #expect(counted.trace.spanIDHex == ids.spanID)
            #expect(counted.value == 1)
        }
    }

    @Test func theExemplarNamesTheInnermostSpanNotItsParent() async throws {
        try await withTestTelemetry { t in
            let (parent, child) = try await withSpan("agent.answer") { _ in
                let parent = try #require(OTelSpanIDs.current)
                let child = await withSpan("tool.fetch") { _ in
                    await t.telemetry.track(tool: "fetch", vertical: .research) {
                        t.clock.advance(by: .milliseconds(40))
                    }
                    return OTelSpanIDs.current
                }
                // Back in the parent span once the child has ended.
                await t.telemetry.track(tool: "summarize", vertical: .research) {
                    t.clock.advance(by: .milliseconds(70))
                }
                return (parent, try #require(child))
            }
            await t.settle()

            #expect(child.traceID == parent.traceID, "a child span shares its parent's trace")
            #expect(child.spanID != parent.spanID)

            let fetch = present(t.exemplars(toolDuration, ["tool": "fetch", "vertical": "research"]))
            #expect(fetch.count == 1)
            #expect(fetch.allSatisfy { child.matches($0.exemplar.trace) }, "\(fetch.map(\.exemplar.trace)) vs child \(child)")

            let summarize = present(t.exemplars(toolDuration, ["tool": "summarize", "vertical": "research"]))
            #expect(summarize.count == 1)
            #expect(summarize.allSatisfy { parent.matches($0.exemplar.trace) }, "\(summarize.map(\.exemplar.trace)) vs parent \(parent)")
        }
    }

    @Test func toolCallsInChildTasksKeepTheirOwnSpans() async throws {
        try await withTestTelemetry { t in
            let telemetry = t.telemetry
            // Parallel tool calls, each in a span started in its own child task.
            let spans = try await withSpan("agent.plan") { _ in
                try await withThrowingTaskGroup(of: (String, OTelSpanIDs?).self) { group in
                    for tool in ["lint", "compile", "unit_test"] {
                        group.addTask {
                            try await withSpan("tool.\(tool)") { _ in
                                try await telemetry.track(tool: tool, vertical: .coding) {
                                    try await Task.sleep(for: .milliseconds(5))
                                }
                                return (tool, OTelSpanIDs.current)
                            }
                        }
                    }
                    var out: [String: OTelSpanIDs] = [:]
                    for try await (tool, ids) in group { out[tool] = ids }
                    return out
                }
            }
            await t.settle()

            #expect(spans.count == 3)
            #expect(Set(spans.values.map(\.spanID)).count == 3, "three distinct spans")
            for (tool, ids) in spans {
                let exemplar = t.exemplars(toolExecutions, ["tool": tool, "vertical": "coding", "outcome": "success"]).first ?? nil
                #expect(exemplar.map { ids.matches($0.trace) } == true, "\(tool): \(String(describing: exemplar?.trace)) vs \(ids)")
            }
        }
    }

    @Test func anEventOutsideAnySpanHasNoExemplar() async throws {
        try await withTestTelemetry { t in
            #expect(OTelSpanIDs.current == nil)
            await t.telemetry.track(tool: "untraced", vertical: .general) {
                t.clock.advance(by: .milliseconds(10))
            }
            t.emit(ToolExecuted(tool: "untraced_direct", outcome: .success, duration: .milliseconds(20)))
            // A span that has ended is no longer current: an event after it has no exemplar either.
            withSpan("tool.earlier") { _ in }
            t.emit(ToolExecuted(tool: "after_span", outcome: .success, duration: .milliseconds(30)))
            await t.settle()

            for tool in ["untraced", "untraced_direct", "after_span"] {
                let histogramLabels = ["tool": tool, "vertical": "general"]
                let counterLabels = ["tool": tool, "vertical": "general", "outcome": "success"]
                #expect(t.histogramValue(toolDuration, histogramLabels)?.count == 1, "\(tool) was observed")
                #expect(t.counterValue(toolExecutions, counterLabels) == 1, "\(tool) was counted")
                let observed = present(t.exemplars(toolDuration, histogramLabels))
                #expect(observed.isEmpty, "\(tool): \(observed.map(\.exemplar))")
                #expect(present(t.exemplars(toolExecutions, counterLabels)).isEmpty)
            }
        }
    }

    @Test func theOpenMetricsExpositionCarriesTheSpanIds() async throws {
        try await withTestTelemetry { t in
            let ids = await withSpan("tool.render") { _ in
                await t.telemetry.track(tool: "render", vertical: .general) {
                    t.clock.advance(by: .milliseconds(120))
                }
                return OTelSpanIDs.current
            }
            await t.settle()
            let expected = try #require(ids)
            let marker = #"# {trace_id="\#(expected.traceID)",span_id="\#(expected.spanID)"}"#

            let text = openMetricsText(t.registry)
            let buckets = sampleLines(text, startingWith: "\(toolDuration)_bucket{").filter { $0.contains(#"tool="render""#) }
            #expect(buckets.filter { $0.contains(marker) }.count == 1, "one bucket line with the exemplar:\n\(buckets.joined(separator: "\n"))")
            let totals = sampleLines(text, startingWith: "\(toolExecutions){").filter { $0.contains(#"tool="render""#) }
            #expect(totals.count == 1 && totals.allSatisfy { $0.contains(marker) }, "the _total line:\n\(totals.joined(separator: "\n"))")
        }
    }

    /// An exemplar must point at a trace a backend can show, which an unsampled span never
    /// reaches. swift-otel still gives a span it drops a context (the parent's trace, a new span id,
    /// the sampled flag off) and binds it as the current one, so the exemplar source has to look at
    /// the `traceparent` flags to leave it out.
    ///
    /// The other half, a sampled child of a sampled remote parent, is an exemplar of the child.
    @Test(arguments: [false, true])
    func onlyASampledSpanBecomesAnExemplar(parentSampled: Bool) async throws {
        let flags = parentSampled ? "01" : "00"
        var remote = InstrumentationContext.topLevel
        InstrumentationSystem.instrument.extract(
            ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-\(flags)"],
            into: &remote, using: HeaderExtractor())
        let tool = parentSampled ? "sampled" : "unsampled"
        try await withTestTelemetry { t in
            let (recording, ids) = await withSpan("tool.\(tool)", context: remote) { span in
                await t.telemetry.track(tool: tool, vertical: .general) {
                    t.clock.advance(by: .milliseconds(15))
                }
                return (span.isRecording, OTelSpanIDs.current)
            }
            await t.settle()
            // swift-otel's parent-based sampler follows the remote parent's sampled flag.
            #expect(recording == parentSampled)
            // The dropped span still has ids: the remote trace and a span id of its own.
            let span = try #require(ids)
            #expect(span.traceID == "0af7651916cd43dd8448eb211c80319c")
            #expect(span.spanID != "b7ad6b7169203331")

            let counterLabels = ["tool": tool, "vertical": "general", "outcome": "success"]
            #expect(t.counterValue(toolExecutions, counterLabels) == 1)
            let counted = present(t.exemplars(toolExecutions, counterLabels)).map(\.exemplar.trace)
            let observed = present(t.exemplars(toolDuration, ["tool": tool, "vertical": "general"])).map(\.exemplar.trace)
            if parentSampled {
                #expect(counted.count == 1 && counted.allSatisfy(span.matches), "\(counted) vs \(span)")
                #expect(observed.count == 1 && observed.allSatisfy(span.matches), "\(observed) vs \(span)")
            } else {
                #expect(counted.isEmpty, "an unsampled span made an exemplar: \(counted)")
                #expect(observed.isEmpty, "an unsampled span made an exemplar: \(observed)")
            }
        }
    }
}

/// The whole application path: swift-otel's service and `Telemetry` in one `ServiceGroup`, a
/// traced agent, and the exposition read at the end.
@Suite struct EndToEndTests {
    init() throws { try SharedTracer.ensure() }

    @Test func theAgentsToolSpansAreTheExemplarsOfItsToolMetrics() async throws {
        var logger = Logger(label: "otel-exemplars-tests")
        logger.logLevel = .warning
        let telemetry = try Telemetry(configuration: TelemetryConfiguration(sampleProcess: false), logger: logger)
        let agent = ResearchAgent(telemetry: telemetry) { tool, question in "\(tool) answered \(question)" }

        let (calls, text) = try await runServices(otel: try SharedTracer.service(), telemetry: telemetry, logger: logger) {
            let calls = try await agent.answer("which span was slow?")
            await telemetry.flush()
            return (calls, openMetricsText(telemetry.registry))
        }

        #expect(calls.map(\.tool) == ["web_search", "fetch_page"])
        let traces = Set(calls.compactMap(\.span?.traceID))
        #expect(traces.count == 1, "both tool spans belong to the question's trace")
        for call in calls {
            let ids = try #require(call.span, "\(call.tool) ran outside a span")
            let marker = #"# {trace_id="\#(ids.traceID)",span_id="\#(ids.spanID)"}"#
            let lines = sampleLines(text, startingWith: "agent_tool_execution").filter { $0.contains(#"tool="\#(call.tool)""#) }
            #expect(lines.contains { $0.hasPrefix("\(toolDuration)_bucket{") && $0.contains(marker) }, "\(call.tool) bucket:\n\(lines.joined(separator: "\n"))")
            #expect(lines.contains { $0.hasPrefix("\(toolExecutions){") && $0.contains(marker) }, "\(call.tool) total:\n\(lines.joined(separator: "\n"))")
        }
    }
}

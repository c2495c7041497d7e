import AgentTelemetry
import AgentTelemetryTesting
import Instrumentation
import Synchronization
import Testing

/// Exemplars: which trace an observation carries (the one current at `emit`), where it is kept
/// (the latest per bucket, per counter), and the W3C ids it is made of.
struct ExemplarTests {
    static let a = TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7")!
    static let b = TraceReference(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331")!

    static let toolLabels = ["tool": "search", "vertical": "research"]
    static let toolCounterLabels = ["tool": "search", "vertical": "research", "outcome": "success"]

    static func search(_ ms: Int64, trace: TraceReference? = nil) -> ToolExecuted {
        var e = ToolExecuted(tool: "search", vertical: .research, outcome: .success, duration: .milliseconds(ms))
        e.trace = trace
        return e
    }

    /// The index of the bucket `value` falls in (first bound >= value; the last for +Inf).
    static func bucket(of value: Double, _ bounds: [Double]) -> Int { bounds.firstIndex { value <= $0 } ?? bounds.count }

    // MARK: W3C ids

    @Test func traceparentIsParsedAndRefusedAsW3CSays() {
        let t = TraceReference(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(t == Self.a)
        #expect(t?.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(t?.spanIDHex == "00f067aa0ba902b7")
        #expect(t?.traceIDBytes == [0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6, 0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36])
        #expect(t?.spanIDBytes == [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7])
        // A later version is read by its version-00 prefix; more fields follow a dash.
        #expect(TraceReference(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds") == Self.a)
        for bad in [
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 is exactly 55 bytes
            "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
            "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
            "", "00-\u{e9}bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            #expect(TraceReference(traceparent: bad) == nil, "accepted \(bad)")
        }
        #expect(TraceReference(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b") == nil)
        #expect(TraceReference(traceIDHigh: 0, traceIDLow: 0, spanID: 1) == nil)
        var g = SystemRandomNumberGenerator()
        let r = TraceReference.random(using: &g)
        #expect(TraceReference(traceID: r.traceIDHex, spanID: r.spanIDHex) == r)
        let child = r.childSpan()
        #expect(child.traceIDHex == r.traceIDHex)
    }

    // MARK: Series

    @Test func theLatestExemplarPerBucketIsKeptAndUntracedValuesLeaveTheSlotsAlone() throws {
        let registry = MetricRegistry()
        let h = try registry.histogram("latency_seconds", help: "h", buckets: [0.1, 1])
        #expect(h.series.exemplars.isEmpty)
        h.series.observe(0.05)
        #expect(h.series.exemplars.isEmpty, "an untraced observation allocated exemplar slots")
        let before = WallClock.nowNanoseconds()
        h.series.observe(0.05, exemplar: Self.a)
        h.series.observe(0.07, exemplar: Self.b)
        h.series.observe(5, exemplar: Self.a)
        h.series.observe(0.5)
        h.series.observe(.nan, exemplar: Self.b)
        let after = WallClock.nowNanoseconds()
        let e = h.series.exemplars
        #expect(e.count == 3)
        #expect(e[0]?.trace == Self.b && e[0]?.value == 0.07)
        #expect(e[1] == nil)
        #expect(e[2]?.trace == Self.a && e[2]?.value == 5)
        for x in e.compactMap({ $0 }) { #expect((before...after).contains(x.timestampNanoseconds)) }
        #expect(h.series.current.count == 5, "the NaN is refused; every other value is counted, traced or not")

        let c = try registry.counter("calls_total", help: "c")
        c.series.increment()
        #expect(c.series.exemplar == nil)
        c.series.increment(by: 3, exemplar: Self.a)
        c.series.increment(by: -1, exemplar: Self.b)
        c.series.increment(by: Double.infinity, exemplar: Self.b)
        #expect(c.series.exemplar?.trace == Self.a && c.series.exemplar?.value == 3)
        c.series.increment(by: 0.5, exemplar: Self.b)
        #expect(c.series.exemplar?.trace == Self.b && c.series.exemplar?.value == 0.5)
        #expect(c.series.value == 4.5)
    }

    // MARK: Capture at emit

    @Test func theContextTraceAtEmitReachesTheBucketAndTheCounter() async throws {
        try await withTestTelemetry { t in
            Self.a.withCurrent { t.emit(Self.search(30)) }
            t.emit(Self.search(3000))
            await t.settle()
            let h = try #require(t.histogramValue("agent_tool_execution_duration_seconds", Self.toolLabels))
            let e = t.exemplars("agent_tool_execution_duration_seconds", Self.toolLabels)
            try #require(e.count == h.bounds.count + 1)
            let i = Self.bucket(of: 0.03, h.bounds)
            #expect(e[i]?.trace == Self.a)
            #expect(e[i]?.value == Duration.milliseconds(30).seconds)
            #expect(e[Self.bucket(of: 3, h.bounds)] == nil, "an untraced observation got an exemplar")
            #expect(e.compactMap { $0 }.count == 1)
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).first??.trace == Self.a)
            // The GenAI duration histogram of the same event carries it too.
            let genAI = t.exemplars("gen_ai_execute_tool_duration_seconds", ["gen_ai_operation_name": "execute_tool", "gen_ai_tool_name": "search", "error_type": ""])
            #expect(genAI.contains { $0?.trace == Self.a })
        }
    }

    @Test func anExplicitTraceWinsOverTheContextAndEmitTraceWinsOverBoth() async throws {
        try await withTestTelemetry { t in
            Self.a.withCurrent { t.emit(Self.search(30, trace: Self.b)) }
            await t.settle()
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).first??.trace == Self.b)
            Self.a.withCurrent { t.emit(Self.search(30, trace: Self.a), trace: Self.b) }
            t.emit(Self.search(30), trace: Self.a)
            await t.settle()
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).first??.trace == Self.a)
        }
    }

    @Test func withoutASourceTheContextIsIgnoredButAnExplicitTraceIsKept() async throws {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.exemplarSource = nil
        try await withTestTelemetry(configuration: c) { t in
            Self.a.withCurrent { t.emit(Self.search(30)) }
            await t.settle()
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).isEmpty)
            #expect(t.exemplars("agent_tool_execution_duration_seconds", Self.toolLabels).isEmpty)
            t.emit(Self.search(30, trace: Self.b))
            await t.settle()
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).first??.trace == Self.b)
        }
    }

    @Test func eachEmittingTaskRecordsItsOwnTrace() async throws {
        try await withTestTelemetry { t in
            var g = SystemRandomNumberGenerator()
            let traces = (0..<8).map { _ in TraceReference.random(using: &g) }
            await withTaskGroup(of: Void.self) { group in
                for (i, trace) in traces.enumerated() {
                    group.addTask {
                        await trace.withCurrent {
                            for _ in 0..<200 {
                                t.emit(ToolExecuted(tool: "tool\(i)", outcome: .success, duration: .milliseconds(5)))
                                await Task.yield()
                            }
                        }
                    }
                }
            }
            await t.settle()
            for (i, trace) in traces.enumerated() {
                let e = t.exemplars("agent_tool_executions_total", ["tool": "tool\(i)", "vertical": "general", "outcome": "success"])
                #expect(e.first??.trace == trace, "tool\(i) carries another task's trace")
            }
        }
    }

    @Test func aCustomSubscriberSeesTheTraceOfTheEventItHandles() async throws {
        let seen = Mutex<[TraceReference?]>([])
        try await withTestTelemetry { t in
            t.telemetry.subscribe(to: ToolExecuted.self) { _ in seen.withLock { $0.append(TraceReference.ofCurrentEvent) } }
            Self.a.withCurrent { t.emit(Self.search(1)) }
            t.emit(Self.search(1))
            t.emit(Self.search(1), trace: Self.b)
            await t.settle()
        }
        #expect(seen.withLock { $0 } == [Self.a, nil, Self.b])
    }

    @Test func aCustomSourceIsAskedOnTheEmittingTask() async throws {
        struct TaskLocalSource: ExemplarSource {
            @TaskLocal static var trace: TraceReference?
            func currentTrace() -> TraceReference? { Self.trace }
        }
        var c = TelemetryConfiguration(sampleProcess: false)
        c.exemplarSource = TaskLocalSource()
        try await withTestTelemetry(configuration: c) { t in
            TaskLocalSource.$trace.withValue(Self.b) { t.emit(Self.search(30)) }
            await t.settle()
            #expect(t.exemplars("agent_tool_executions_total", Self.toolCounterLabels).first??.trace == Self.b)
        }
    }

    // MARK: A tracer's context

    /// A tracer as far as propagation goes: it keeps its span in the context under its own
    /// (private) key and writes it as W3C `traceparent` when asked to inject — what swift-otel's
    /// tracer does with its default propagator. (Examples/Integrations/OTelExemplars runs swift-otel itself.)
    struct PropagatingInstrument: Instrument {
        enum SpanKey: InstrumentationContextKey { typealias Value = String }
        func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
            where Extract.Carrier == Carrier {}
        func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
            where Inject.Carrier == Carrier {
            injector.inject("vendor", forKey: "tracestate", into: &carrier)
            if let span = context[SpanKey.self] { injector.inject(span, forKey: "traceparent", into: &carrier) }
        }
    }

    /// A sampled span is an exemplar; an unsampled one (flags 00) or a malformed header is not.
    @Test func theSourceReadsATracersSpanThroughItsW3CPropagation() async throws {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.exemplarSource = ContextExemplarSource(instrument: PropagatingInstrument())
        try await withTestTelemetry(configuration: c) { t in
            var context = InstrumentationContext.topLevel
            context[PropagatingInstrument.SpanKey.self] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            InstrumentationContext.withValue(context) { t.emit(Self.search(30)) }
            var unsampled = InstrumentationContext.topLevel
            unsampled[PropagatingInstrument.SpanKey.self] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
            InstrumentationContext.withValue(unsampled) { t.emit(Self.search(3000)) }
            var garbage = InstrumentationContext.topLevel
            garbage[PropagatingInstrument.SpanKey.self] = "00-not-a-trace"
            InstrumentationContext.withValue(garbage) { t.emit(Self.search(3000)) }
            await t.settle()
            let e = t.exemplars("agent_tool_execution_duration_seconds", Self.toolLabels)
            try #require(!e.isEmpty)
            #expect(e.compactMap { $0 }.map(\.trace) == [Self.b])
        }
        #expect(ContextExemplarSource(instrument: PropagatingInstrument()).currentTrace() == nil)
    }
}

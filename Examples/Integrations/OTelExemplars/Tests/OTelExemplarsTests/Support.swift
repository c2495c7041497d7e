import AgentTelemetry
import Instrumentation
import OTelExemplars
import ServiceLifecycle
import Testing

/// swift-otel's tracer, bootstrapped as the process's `InstrumentationSystem` instrument the first
/// time a test asks for it: exactly once per test process, since a second bootstrap stops the
/// process. Tests run in parallel and all share it.
///
/// Spans are created and propagated without its service running (the service only processes
/// finished spans, which this configuration exports nowhere); the one end-to-end test runs it.
enum SharedTracer {
    private static let bootstrapped: Result<any Service, any Error> = Result {
        try OTelTracingSetup.bootstrap(
            configuration: OTelTracingSetup.configuration(serviceName: "otel-exemplars-tests"))
    }

    /// Bootstraps swift-otel's tracer if no test has yet; throws what the bootstrap threw.
    static func ensure() throws { _ = try bootstrapped.get() }

    /// The tracer's span-processing service. Run it at most once in the process.
    static func service() throws -> any Service { try bootstrapped.get() }
}

/// Catches what a tracer injects, header by header.
struct HeaderInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key.lowercased()] = value
    }
}

/// Hands a tracer headers to extract from.
struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key.lowercased()]
    }
}

/// The ids in the `traceparent` header the bootstrapped tracer writes for `context`, split by hand
/// (`version-traceid-spanid-flags`): a second reading of swift-otel's ids that shares no code with
/// AgentTelemetry's `TraceReference(traceparent:)`.
func idsFromTracerPropagation(_ context: InstrumentationContext) -> OTelSpanIDs? {
    var headers: [String: String] = [:]
    InstrumentationSystem.instrument.inject(context, into: &headers, using: HeaderInjector())
    guard let traceparent = headers["traceparent"] else { return nil }
    let fields = traceparent.split(separator: "-", omittingEmptySubsequences: false)
    guard fields.count == 4 else { return nil }
    return OTelSpanIDs(traceID: String(fields[1]), spanID: String(fields[2]))
}

/// The exemplars that are present in a series' slots (from the test kit's `exemplars(_:_:)`),
/// with the slot (bucket) each is in.
func present(_ slots: [Exemplar?]) -> [(slot: Int, exemplar: Exemplar)] {
    slots.enumerated().compactMap { slot, e in e.map { (slot, $0) } }
}

/// The index of the bucket `value` falls in (the first bound at or above it; `bounds.count` for `+Inf`).
func bucketIndex(_ value: Double, bounds: [Double]) -> Int {
    bounds.firstIndex { value <= $0 } ?? bounds.count
}

extension OTelSpanIDs {
    /// Whether `trace` names exactly these ids.
    func matches(_ trace: TraceReference) -> Bool {
        trace.traceIDHex == traceID && trace.spanIDHex == spanID
    }
}

let toolDuration = "agent_tool_execution_duration_seconds"
let toolExecutions = "agent_tool_executions_total"

import Instrumentation

/// Where `emit` finds the trace an event's exemplars point to, when the event carries none.
///
/// Called on the emitting task, once per emitted event, so that the trace current at the call
/// site is the one recorded (subscribers run later, on their own tasks). Must be cheap and must
/// not block: return nil quickly when no trace is active.
public protocol ExemplarSource: Sendable {
    /// The trace and span current in the calling task, or nil.
    func currentTrace() -> TraceReference?
}

/// Reads the trace from swift-distributed-tracing's `InstrumentationContext` (`ServiceContext`):
/// the default source.
///
/// In order:
/// 1. a `TraceReference` set on the context by the application (`context.traceReference`, or
///    `TraceReference.withCurrent`): no tracer needed;
/// 2. otherwise the span the bootstrapped tracer keeps in the context, read through the tracer's
///    own W3C propagation: it is asked to inject the context and the `traceparent` it writes is
///    parsed. Only sampled spans count (flag `01`): an unsampled span is never exported, so an
///    exemplar naming it would lead nowhere. This works with swift-otel's tracer (its default propagator is W3C) and any other
///    tracer that propagates W3C Trace Context, without this library depending on one.
///
/// Cost (docs/PERFORMANCE.md, "Exemplars"): with no context bound, one task-local read, about
/// 18 ns on the reference machine; with a `TraceReference` bound, about 72 ns (the context's
/// dictionary look-up). With a tracer's span: the tracer's formatting of `traceparent` (one string
/// allocation) and a 55-byte parse.
public struct ContextExemplarSource: ExemplarSource {
    private let instrument: (any Instrument)?

    /// Reads the process's bootstrapped instrument (`InstrumentationSystem.instrument`) on each call.
    public init() { self.instrument = nil }

    /// Uses `instrument` instead of the bootstrapped one (tests, or a process with several tracers).
    public init(instrument: any Instrument) { self.instrument = instrument }

    public func currentTrace() -> TraceReference? {
        guard let context = InstrumentationContext.current else { return nil }
        if let explicit = context.traceReference { return explicit }
        var carrier = TraceparentCarrier()
        (instrument ?? InstrumentationSystem.instrument).inject(context, into: &carrier, using: TraceparentInjector())
        // Only a sampled span (flag bit 0) makes an exemplar: an unsampled one is never exported,
        // so an exemplar naming it would lead nowhere (the OpenTelemetry SDKs' trace-based filter).
        guard let header = carrier.traceparent, let parsed = TraceReference.parse(traceparent: header),
              parsed.flags & 1 == 1 else { return nil }
        return parsed.reference
    }
}

/// Catches the `traceparent` value a tracer injects, ignoring every other header.
struct TraceparentCarrier: Sendable {
    var traceparent: String?
}

struct TraceparentInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout TraceparentCarrier) {
        if key.utf8.count == 11, key.lowercased() == "traceparent" { carrier.traceparent = value }
    }
}

private enum TraceReferenceKey: InstrumentationContextKey {
    typealias Value = TraceReference
    static var nameOverride: String? { "agent-telemetry-trace" }
}

extension InstrumentationContext {
    /// A trace set by the application for exemplars, read first by `ContextExemplarSource`.
    public var traceReference: TraceReference? {
        get { self[TraceReferenceKey.self] }
        set { self[TraceReferenceKey.self] = newValue }
    }
}

extension TraceReference {
    /// Runs `operation` with this trace as the current one for exemplars (bound in the task's
    /// `InstrumentationContext`, so the tasks it starts inherit it).
    public func withCurrent<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ operation: () async throws -> T
    ) async rethrows -> T {
        var context = InstrumentationContext.current ?? .topLevel
        context.traceReference = self
        return try await InstrumentationContext.withValue(context, isolation: isolation, operation: operation)
    }

    /// The synchronous form of `withCurrent(_:)`.
    public func withCurrent<T>(_ operation: () throws -> T) rethrows -> T {
        var context = InstrumentationContext.current ?? .topLevel
        context.traceReference = self
        return try InstrumentationContext.withValue(context, operation: operation)
    }
}

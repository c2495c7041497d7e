public import Logging
import OTel

/// The trace and span ids of the current span as swift-otel itself reports them: read through
/// the logging metadata provider swift-otel offers for correlating logs with traces, which takes
/// them straight from the span context it keeps in the task's `InstrumentationContext`.
///
/// The demo prints these next to the exposition, and the tests compare exemplars against them,
/// so the expected ids never come from AgentTelemetry's own `traceparent` parsing.
public struct OTelSpanIDs: Sendable, Hashable, CustomStringConvertible {
    /// The trace id, 32 lowercase hex digits.
    public var traceID: String
    /// The span id, 16 lowercase hex digits.
    public var spanID: String

    /// Creates a pair of ids.
    public init(traceID: String, spanID: String) {
        self.traceID = traceID
        self.spanID = spanID
    }

    /// swift-otel's logging metadata provider (keys `trace_id` and `span_id`).
    public static let metadataProvider: Logger.MetadataProvider = OTel.makeLoggingMetadataProvider()

    /// The ids of the span current in the calling task, or nil outside any span swift-otel made.
    public static var current: OTelSpanIDs? {
        let metadata = metadataProvider.get()
        guard case .string(let trace)? = metadata["trace_id"], case .string(let span)? = metadata["span_id"] else {
            return nil
        }
        return OTelSpanIDs(traceID: trace, spanID: span)
    }

    /// `trace_id=<hex> span_id=<hex>`.
    public var description: String { "trace_id=\(traceID) span_id=\(spanID)" }
}

/// The trace and span an exemplar points to: a W3C trace id (16 bytes) and span id (8 bytes).
///
/// A plain value (three words, no allocation). All-zero ids are invalid in W3C Trace Context and
/// are refused by every initialiser, so a `TraceReference` always names a real span.
public struct TraceReference: Sendable, Hashable {
    /// The high 8 bytes of the trace id (big-endian order: the first 16 hex digits).
    public let traceIDHigh: UInt64
    /// The low 8 bytes of the trace id (the last 16 hex digits).
    public let traceIDLow: UInt64
    /// The span id.
    public let spanID: UInt64

    /// Creates a reference from its ids; nil when the trace id or the span id is all zeros.
    public init?(traceIDHigh: UInt64, traceIDLow: UInt64, spanID: UInt64) {
        guard traceIDHigh | traceIDLow != 0, spanID != 0 else { return nil }
        self.traceIDHigh = traceIDHigh
        self.traceIDLow = traceIDLow
        self.spanID = spanID
    }

    /// Creates a reference from hex ids (32 and 16 lowercase or uppercase hex digits), as logs and
    /// trace UIs print them; nil when either is malformed or all zeros.
    public init?(traceID: some StringProtocol, spanID: some StringProtocol) {
        let t = Array(traceID.utf8), s = Array(spanID.utf8)
        guard t.count == 32, s.count == 16,
              let hi = Self.hex(t[0..<16]), let lo = Self.hex(t[16..<32]), let span = Self.hex(s[...])
        else { return nil }
        self.init(traceIDHigh: hi, traceIDLow: lo, spanID: span)
    }

    /// Parses a W3C `traceparent` header (`00-<trace id>-<span id>-<flags>`, lowercase hex); nil
    /// when it is malformed, names version `ff`, or has all-zero ids. Later versions are read by their
    /// version-00 prefix, as the W3C specification asks.
    public init?(traceparent: some StringProtocol) {
        guard let parsed = Self.parse(traceparent: traceparent) else { return nil }
        self = parsed.reference
    }

    /// The reference a `traceparent` names and its trace-flags byte (bit 0: sampled).
    static func parse(traceparent: some StringProtocol) -> (reference: TraceReference, flags: UInt8)? {
        let b = Array(traceparent.utf8)
        guard b.count >= 55, b[2] == UInt8(ascii: "-"), b[35] == UInt8(ascii: "-"), b[52] == UInt8(ascii: "-"),
              let version = Self.hex(b[0..<2]), version != 0xff,
              version != 0 || b.count == 55,
              let flags = Self.hex(b[53..<55]),
              let hi = Self.hex(b[3..<19], lowercaseOnly: true), let lo = Self.hex(b[19..<35], lowercaseOnly: true),
              let span = Self.hex(b[36..<52], lowercaseOnly: true)
        else { return nil }
        if b.count > 55 && b[55] != UInt8(ascii: "-") { return nil }
        guard let reference = TraceReference(traceIDHigh: hi, traceIDLow: lo, spanID: span) else { return nil }
        return (reference, UInt8(truncatingIfNeeded: flags))
    }

    /// A new random trace with a random root span (for code that starts traces of its own, such
    /// as the demo workload).
    public static func random() -> TraceReference {
        var g = SystemRandomNumberGenerator()
        return random(using: &g)
    }

    /// A new random trace with a random root span, from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> TraceReference {
        while true {
            if let t = TraceReference(traceIDHigh: generator.next(), traceIDLow: generator.next(), spanID: generator.next()) {
                return t
            }
        }
    }

    /// A new random span in the same trace.
    public func childSpan() -> TraceReference {
        var g = SystemRandomNumberGenerator()
        return childSpan(using: &g)
    }

    /// A new random span in the same trace, from `generator`.
    public func childSpan(using generator: inout some RandomNumberGenerator) -> TraceReference {
        while true {
            if let t = TraceReference(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: generator.next()) { return t }
        }
    }

    /// The trace id as 32 lowercase hex digits.
    public var traceIDHex: String { Self.hexString(traceIDHigh) + Self.hexString(traceIDLow) }

    /// The span id as 16 lowercase hex digits.
    public var spanIDHex: String { Self.hexString(spanID) }

    /// The trace id's 16 bytes, most significant first (OTLP `trace_id`).
    public var traceIDBytes: [UInt8] { Self.bigEndianBytes(traceIDHigh) + Self.bigEndianBytes(traceIDLow) }

    /// The span id's 8 bytes, most significant first (OTLP `span_id`).
    public var spanIDBytes: [UInt8] { Self.bigEndianBytes(spanID) }

    private static func appendHex(_ v: UInt64, to out: inout [UInt8]) {
        var shift = 60
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: v >> UInt64(shift)) & 0xf
            out.append(nibble < 10 ? nibble &+ 48 : nibble &+ 87)
            shift -= 4
        }
    }

    private static func hexString(_ v: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendHex(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func bigEndianBytes(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> UInt64(56 - 8 * $0)) }
    }

    private static func hex(_ digits: ArraySlice<UInt8>, lowercaseOnly: Bool = false) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var v: UInt64 = 0
        for c in digits {
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 97...102: d = c - 87
            case 65...70 where !lowercaseOnly: d = c - 55
            default: return nil
            }
            v = v << 4 | UInt64(d)
        }
        return v
    }
}

extension TraceReference: CustomStringConvertible {
    /// `trace_id=<32 hex> span_id=<16 hex>`.
    public var description: String { "trace_id=\(traceIDHex) span_id=\(spanIDHex)" }
}

extension TraceReference {
    /// In a subscriber's `handle`, the trace that was current when the event being handled was
    /// emitted (nil when there was none). The bus binds it only for events that carry a trace, so
    /// subscribers of untraced events pay nothing. Pass it on as an exemplar:
    /// `histogram.observe(value, exemplar: TraceReference.ofCurrentEvent)`.
    @TaskLocal public static var ofCurrentEvent: TraceReference?
}

/// One exemplar: an observed value with the trace it came from and when.
public struct Exemplar: Sendable, Hashable {
    /// The trace and span the value was observed in.
    public var trace: TraceReference
    /// The observed value (a histogram observation or a counter increment).
    public var value: Double
    /// When it was observed, nanoseconds since the Unix epoch.
    public var timestampNanoseconds: UInt64

    /// Creates an exemplar.
    public init(trace: TraceReference, value: Double, timestampNanoseconds: UInt64) {
        self.trace = trace
        self.value = value
        self.timestampNanoseconds = timestampNanoseconds
    }
}

/// A duration as the configuration file writes it: `250ms`, `15s`, `5m`, `1h`, `2d` (also `us`
/// and `ns`, so that a value below a setting's minimum is read and told the minimum), or a bare
/// number of seconds.
///
/// Decoding accepts a number (seconds) or one of those spellings; encoding writes the shortest
/// exact spelling. A duration is never negative and never longer than a year.
public struct ConfigDuration: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The duration.
    public var duration: Duration

    /// Wraps a duration.
    public init(_ duration: Duration) { self.duration = duration }

    /// The longest duration accepted: one year. Longer values are configuration mistakes (and
    /// would overflow nanosecond arithmetic).
    public static let maximumSeconds: Double = 366 * 86400

    /// Parses `250ms`, `1.5s`, `5m`, `1h`, `2d` or a bare number of seconds; `nil` when malformed,
    /// negative or longer than a year. Cost: one scan of the text.
    public init?(parsing text: String) {
        let t = ConfigurationText.trimmed(text)
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("ns", 0.000_000_001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count)), let d = ConfigDuration(seconds: v * scale) else { return nil }
            self = d
            return
        }
        guard let v = Double(t), let d = ConfigDuration(seconds: v) else { return nil }
        self = d
    }

    /// A duration of `seconds`; `nil` when negative, not finite or longer than a year.
    public init?(seconds: Double) {
        guard seconds.isFinite, seconds >= 0, seconds <= Self.maximumSeconds else { return nil }
        duration = .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// What a malformed duration is told, naming the accepted forms.
    static func problem(_ text: String) -> String {
        "\"\(text)\" is not a duration between 0 and one year (use e.g. 250ms, 15s, 5m, 1h)"
    }

    /// Decodes a number of seconds or a spelled duration.
    public init(from decoder: any Decoder) throws {
        self = try SpelledValue.decode(from: decoder, number: ConfigDuration.init(seconds:), text: ConfigDuration.init(parsing:), problem: Self.problem)
    }

    /// Encodes the shortest exact spelling, e.g. `"15s"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }


    /// The shortest exact spelling (`100ms`, `15s`, `5m`).
    public var description: String {
        let ns = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if ns % 3_600_000_000_000 == 0 && ns > 0 { return "\(ns / 3_600_000_000_000)h" }
        if ns % 60_000_000_000 == 0 && ns > 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        if ns < 1_000_000 { return ns % 1_000 == 0 ? "\(ns / 1_000)us" : "\(ns)ns" }
        return "\(Double(ns) / 1e9)s"
    }
}

/// Decoding of a configuration value written as a number or as a spelled string (`15s`,
/// `512MiB`): ``ConfigDuration`` and ``ConfigByteSize``.
enum SpelledValue {
    static func decode<T>(from decoder: any Decoder, number: (Double) -> T?, text: (String) -> T?,
                          problem: (String) -> String) throws -> T {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Double.self) {
            guard let value = number(n) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: problem(String(n))) }
            return value
        }
        let string = try c.decode(String.self)
        guard let value = text(string) else { throw DecodingError.dataCorruptedError(in: c, debugDescription: problem(string)) }
        return value
    }
}

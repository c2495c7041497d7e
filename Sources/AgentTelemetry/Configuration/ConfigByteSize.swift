/// A size in bytes as the configuration file writes it: `512MiB`, `2GiB`, `64KiB` (binary
/// units), `500MB`, `1GB` (decimal units), or a bare number of bytes.
///
/// Decoding accepts a number or one of those spellings; encoding writes the shortest exact
/// spelling in binary units. A size is a whole number of bytes between 0 and 1 PiB.
public struct ConfigByteSize: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The size in bytes.
    public var bytes: Int

    /// Wraps a number of bytes.
    public init(bytes: Int) { self.bytes = bytes }

    /// The largest size accepted: 1 PiB. Larger values are configuration mistakes.
    public static let maximumBytes = 1 << 50

    private static let units: [(String, Double)] = [
        ("KiB", 1024), ("MiB", 1024 * 1024), ("GiB", 1024 * 1024 * 1024), ("TiB", 1024 * 1024 * 1024 * 1024),
        ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1),
    ]

    /// Parses `512MiB`, `1.5GiB`, `500MB` or a bare number of bytes; `nil` when malformed,
    /// negative, above 1 PiB or not a whole number of bytes.
    public init?(parsing text: String) {
        let t = ConfigurationText.trimmed(text)
        for (suffix, scale) in Self.units where t.hasSuffix(suffix) {
            guard let v = Double(ConfigurationText.trimmed(String(t.dropLast(suffix.count)))),
                  let size = ConfigByteSize(exactly: v * scale) else { return nil }
            self = size
            return
        }
        guard let v = Double(t), let size = ConfigByteSize(exactly: v) else { return nil }
        self = size
    }

    init?(exactly value: Double) {
        guard value.isFinite, value >= 0, value <= Double(Self.maximumBytes), value.rounded() == value else { return nil }
        bytes = Int(value)
    }

    static func problem(_ text: String) -> String {
        "\"\(text)\" is not a size in bytes up to 1 PiB (use e.g. 512MiB, 2GiB, 500MB, or a number of bytes)"
    }

    /// Decodes a number of bytes or a spelled size.
    public init(from decoder: any Decoder) throws {
        self = try SpelledValue.decode(from: decoder, number: ConfigByteSize.init(exactly:), text: ConfigByteSize.init(parsing:), problem: Self.problem)
    }

    /// Encodes the shortest exact spelling, e.g. `"512MiB"`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// The shortest exact binary spelling (`512MiB`, `3GiB`), else the number of bytes.
    public var description: String {
        for (suffix, scale) in [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes > 0 && bytes % scale == 0 {
            return "\(bytes / scale)\(suffix)"
        }
        return "\(bytes)"
    }
}

/// Formats values for StatsD lines without needless decimals.
///
/// Whole numbers below 2^53 in magnitude print as integers (`1`, not `1.0`; `-0` prints as `0`);
/// other finite values print in Swift's shortest round-trip form (`0.25`, `1e-05`), which every
/// common StatsD server parses (they use `strtod`, `parseFloat` or `strconv.ParseFloat`).
/// Cost: one small string conversion.
public enum StatsDNumberFormat {
    /// Appends `value` (which must be finite) to `out`.
    @inlinable
    public static func append(_ value: Double, to out: inout [UInt8]) {
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            out.append(contentsOf: String(Int64(value)).utf8)
        } else {
            out.append(contentsOf: value.description.utf8)
        }
    }

    /// `value` formatted as a string.
    public static func string(_ value: Double) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Seconds converted to milliseconds, rounded to whole nanoseconds so that binary noise
    /// (`0.0123 * 1000 = 12.299999999999999`) does not reach the wire.
    @inlinable
    public static func milliseconds(fromSeconds seconds: Double) -> Double {
        let ms = seconds * 1000
        guard abs(ms) < 1e9 else { return ms }
        return (ms * 1_000_000).rounded() / 1_000_000
    }
}

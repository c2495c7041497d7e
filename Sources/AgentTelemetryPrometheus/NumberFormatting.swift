/// Appends numbers in the forms Prometheus parsers accept, without building strings on the hot path.
enum NumberFormatting {
    /// Appends an unsigned integer in decimal.
    @inline(__always)
    static func appendUInt(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var v = value
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &tmp) { raw in
            var i = raw.count
            while v > 0 {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[i...]))
        }
    }

    /// Appends a sample value: `+Inf`, `-Inf`, `NaN`, integers without a fraction when exact,
    /// otherwise Swift's shortest round-trip representation (`0.25`, `1e-05`).
    /// With `openMetricsStyle`, integral values get `.0` (OpenMetrics canonical floats, used for `le`).
    static func appendDouble(_ value: Double, to out: inout [UInt8], openMetricsStyle: Bool = false) {
        if value.isNaN {
            out.append(contentsOf: [78, 97, 78])  // NaN
            return
        }
        if value.isInfinite {
            out.append(contentsOf: value > 0 ? [43, 73, 110, 102] : [45, 73, 110, 102])  // +Inf / -Inf
            return
        }
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            if value < 0 || (value == 0 && value.sign == .minus) {
                if value != 0 { out.append(45) }
                appendUInt(UInt64(-value), to: &out)
            } else {
                appendUInt(UInt64(value), to: &out)
            }
            if openMetricsStyle { out.append(46); out.append(48) }
            return
        }
        out.append(contentsOf: value.description.utf8)
    }
}

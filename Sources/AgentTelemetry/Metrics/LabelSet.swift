/// The label names and values of one series, fixed at creation.
///
/// Besides the names and values, a label set keeps its Prometheus text form
/// (`name="escaped value",...`, without braces) rendered once, so that text exporters
/// copy bytes instead of escaping strings on every scrape.
public struct LabelSet: Sendable, Hashable {
    /// Label names, in the order the family declared them.
    public let names: [String]
    /// Label values, one per name.
    public let values: [String]
    /// The Prometheus text form `a="x",b="y"` (values escaped), without braces; empty when there are no labels.
    public let prometheusText: [UInt8]

    /// Creates a label set. `names` and `values` must have the same count.
    public init(names: [String], values: [String]) {
        precondition(names.count == values.count, "internal: label names and values differ in count")
        self.names = names
        self.values = values
        // Sized exactly (one allocation of the final size): there is one of these per series.
        var length = max(0, names.count - 1)  // commas
        for i in names.indices {
            length += names[i].utf8.count + 3 + LabelSet.escapedLength(values[i])
        }
        var text: [UInt8] = []
        text.reserveCapacity(length)
        for i in names.indices {
            if i > 0 { text.append(UInt8(ascii: ",")) }
            text.append(contentsOf: names[i].utf8)
            text.append(UInt8(ascii: "="))
            text.append(UInt8(ascii: "\""))
            LabelSet.appendEscapedLabelValue(values[i], to: &text)
            text.append(UInt8(ascii: "\""))
        }
        self.prometheusText = text
    }

    /// The length of `value` once escaped by `appendEscapedLabelValue`.
    static func escapedLength(_ value: String) -> Int {
        var n = 0
        for b in value.utf8 {
            n += (b == UInt8(ascii: "\\") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\n")) ? 2 : 1
        }
        return n
    }

    /// The empty label set.
    public static let empty = LabelSet(names: [], values: [])

    /// Number of labels.
    public var count: Int { names.count }

    /// The value of `name`, if the set has that label.
    public subscript(name: String) -> String? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return values[i]
    }

    /// Pairs of (name, value) in declaration order.
    public var pairs: [(name: String, value: String)] {
        names.indices.map { (names[$0], values[$0]) }
    }

    /// Appends `value` escaped for a Prometheus label value: `\` → `\\`, `"` → `\"`, newline → `\n`.
    ///
    /// Swift strings are always valid UTF-8 (invalid input bytes were replaced by U+FFFD when the
    /// string was made), so the output is always valid UTF-8.
    @inlinable
    public static func appendEscapedLabelValue(_ value: String, to out: inout [UInt8]) {
        for b in value.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            default: out.append(b)
            }
        }
    }

    public static func == (lhs: LabelSet, rhs: LabelSet) -> Bool {
        lhs.names == rhs.names && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(names)
        hasher.combine(values)
    }
}

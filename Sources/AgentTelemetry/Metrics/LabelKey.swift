/// The lookup key of a series: up to four label values stored inline (no array allocation,
/// no per-element array retain), more in an overflow array.
struct LabelKey: Hashable {
    let count: Int
    let a: String
    let b: String
    let c: String
    let d: String
    let rest: [String]?

    @inline(__always)
    init(_ a: String = "", _ b: String = "", _ c: String = "", _ d: String = "", count: Int) {
        self.count = count
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.rest = nil
    }

    init(_ values: [String]) {
        count = values.count
        a = values.count > 0 ? values[0] : ""
        b = values.count > 1 ? values[1] : ""
        c = values.count > 2 ? values[2] : ""
        d = values.count > 3 ? values[3] : ""
        rest = values.count > 4 ? Array(values[4...]) : nil
    }

    /// The values as an array (built only when a series is created).
    var values: [String] {
        var out = [a, b, c, d].prefix(min(count, 4)).map { $0 }
        if let rest { out.append(contentsOf: rest) }
        return out
    }
}

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

extension LabelKey {
    /// Whether `values` are this key's values.
    @inline(__always)
    func matches(_ values: [String]) -> Bool {
        guard values.count == count else { return false }
        switch count {
        case 0: return true
        case 1: return values[0] == a
        case 2: return values[0] == a && values[1] == b
        case 3: return values[0] == a && values[1] == b && values[2] == c
        case 4: return values[0] == a && values[1] == b && values[2] == c && values[3] == d
        default:
            guard values[0] == a && values[1] == b && values[2] == c && values[3] == d, let rest else { return false }
            return values[4...].elementsEqual(rest)
        }
    }
}

/// An open-addressing hash table from label values to series that stores only the series
/// reference and its hash per slot (about 16 bytes, at most 75% full): the label values are
/// compared against the series' own `LabelSet`, so they are not stored a second time as keys.
struct SeriesTable<Series: MetricSeries> {
    private var slots: [Series?] = Array(repeating: nil, count: 16)
    private var hashes: [Int] = Array(repeating: 0, count: 16)
    private(set) var count = 0

    func find(_ key: LabelKey, hash: Int) -> Series? {
        let mask = slots.count - 1
        var i = hash & mask
        while let s = slots[i] {
            if hashes[i] == hash && key.matches(s.context.labels.values) { return s }
            i = (i &+ 1) & mask
        }
        return nil
    }

    mutating func insert(_ series: Series, hash: Int) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(series, hash: hash)
        count += 1
    }

    private mutating func place(_ series: Series, hash: Int) {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] != nil { i = (i &+ 1) & mask }
        slots[i] = series
        hashes[i] = hash
    }

    private mutating func grow() {
        let oldSlots = slots
        let oldHashes = hashes
        slots = Array(repeating: nil, count: oldSlots.count * 2)
        hashes = Array(repeating: 0, count: oldSlots.count * 2)
        for (i, s) in oldSlots.enumerated() {
            if let s { place(s, hash: oldHashes[i]) }
        }
    }
}

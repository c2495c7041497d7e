/// The lookup key of a series: up to four label values stored inline (no array allocation,
/// no per-element array retain), more in an overflow array.
struct LabelKey: Hashable {
    func hash(into hasher: inout Hasher) {
        switch count {
        case 0: break
        case 1: hasher.combine(a)
        case 2: hasher.combine(a); hasher.combine(b)
        case 3: hasher.combine(a); hasher.combine(b); hasher.combine(c)
        default:
            hasher.combine(a); hasher.combine(b); hasher.combine(c); hasher.combine(d)
            if let rest { for v in rest { hasher.combine(v) } }
        }
        hasher.combine(count)
    }

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
    /// The value at `i` (`i < count`).
    @inline(__always)
    subscript(i: Int) -> String {
        switch i {
        case 0: a
        case 1: b
        case 2: c
        case 3: d
        default: rest?[i - 4] ?? ""
        }
    }

    /// The key of the values at `positions` (increasing, each `< count`): the lookup key of a
    /// family whose view drops labels. Up to four kept values are stored inline.
    func projected(_ positions: [Int]) -> LabelKey {
        switch positions.count {
        case 0: LabelKey(count: 0)
        case 1: LabelKey(self[positions[0]], count: 1)
        case 2: LabelKey(self[positions[0]], self[positions[1]], count: 2)
        case 3: LabelKey(self[positions[0]], self[positions[1]], self[positions[2]], count: 3)
        case 4: LabelKey(self[positions[0]], self[positions[1]], self[positions[2]], self[positions[3]], count: 4)
        default: LabelKey(positions.map { self[$0] })
        }
    }

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

/// An open-addressing hash table from label values to series. Each slot holds the series
/// reference, the hash, and a reference to the series' own label-values array (shared with its
/// `LabelSet`, not a copy), so a lookup compares values without touching the series.
struct SeriesTable<Series: MetricSeries> {
    private var slots: [Series?] = Array(repeating: nil, count: 16)
    private var hashes: [Int] = Array(repeating: 0, count: 16)
    private var keys: [[String]] = Array(repeating: [], count: 16)
    private(set) var count = 0

    func find(_ key: LabelKey, hash: Int) -> Series? {
        let mask = slots.count - 1
        var i = hash & mask
        while let s = slots[i] {
            if hashes[i] == hash && key.matches(keys[i]) { return s }
            i = (i &+ 1) & mask
        }
        return nil
    }

    /// Inserts `series`, whose label values are `values`.
    mutating func insert(_ series: Series, values: [String], hash: Int) {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        place(series, values, hash)
        count += 1
    }

    private mutating func place(_ series: Series, _ values: [String], _ hash: Int) {
        let mask = slots.count - 1
        var i = hash & mask
        while slots[i] != nil { i = (i &+ 1) & mask }
        slots[i] = series
        hashes[i] = hash
        keys[i] = values
    }

    private mutating func grow() {
        let oldSlots = slots, oldHashes = hashes, oldKeys = keys
        let size = oldSlots.count * 2
        slots = Array(repeating: nil, count: size)
        hashes = Array(repeating: 0, count: size)
        keys = Array(repeating: [], count: size)
        for i in oldSlots.indices {
            if let s = oldSlots[i] { place(s, oldKeys[i], oldHashes[i]) }
        }
    }
}

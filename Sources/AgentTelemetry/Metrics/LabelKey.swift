/// The lookup key of a series: up to eight label values stored inline (no array allocation,
/// no per-element array retain; the first four in the key itself, the next four in an optional
/// tail), more in an overflow array.
///
/// Eight covers the widest catalog family with its opt-in labels (`gen_ai.client.operation.duration`
/// with server address, port and agent), so a standard event never allocates for its lookups.
struct LabelKey: Hashable {
    func hash(into hasher: inout Hasher) {
        switch count {
        case 0: break
        case 1: hasher.combine(a)
        case 2: hasher.combine(a); hasher.combine(b)
        case 3: hasher.combine(a); hasher.combine(b); hasher.combine(c)
        case 4: hasher.combine(a); hasher.combine(b); hasher.combine(c); hasher.combine(d)
        default: for i in 0..<count { hasher.combine(self[i]) }
        }
        hasher.combine(count)
    }

    static func == (l: LabelKey, r: LabelKey) -> Bool {
        guard l.count == r.count else { return false }
        for i in 0..<l.count where l[i] != r[i] { return false }
        return true
    }

    /// How many of the values are the key's; values past it are ignored (see ``truncate(to:)``).
    private(set) var count: Int
    let a: String
    let b: String
    let c: String
    let d: String
    /// Values five to eight and any beyond, absent for a key of at most four: releasing such a
    /// key then tests one tag instead of releasing four empty strings (a lookup's key is built
    /// and released on every update, and most families have at most four labels).
    let tail: Tail?

    struct Tail {
        let e: String
        let f: String
        let g: String
        let h: String
        let rest: [String]?
    }

    @inline(__always)
    init(_ a: String = "", _ b: String = "", _ c: String = "", _ d: String = "", count: Int) {
        self.count = count
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.tail = nil
    }

    @inline(__always)
    init(_ a: String, _ b: String, _ c: String, _ d: String,
         _ e: String, _ f: String = "", _ g: String = "", _ h: String = "", count: Int) {
        self.count = count
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.tail = Tail(e: e, f: f, g: g, h: h, rest: nil)
    }

    init(_ values: [String]) {
        count = values.count
        func at(_ i: Int) -> String { i < values.count ? values[i] : "" }
        a = at(0); b = at(1); c = at(2); d = at(3)
        tail = values.count > 4
            ? Tail(e: at(4), f: at(5), g: at(6), h: at(7), rest: values.count > 8 ? Array(values[8...]) : nil)
            : nil
    }

    /// The values as an array (built only when a series is created).
    var values: [String] { (0..<count).map { self[$0] } }

    /// The key of the values at `positions` (increasing, each `< count`): the lookup key of a
    /// family whose view drops labels (or leaves opt-in labels out). Up to eight kept values are
    /// stored inline.
    func projected(_ positions: [Int]) -> LabelKey {
        func at(_ i: Int) -> String { i < positions.count ? self[positions[i]] : "" }
        guard positions.count <= 8 else { return LabelKey(positions.map { self[$0] }) }
        guard positions.count > 4 else { return LabelKey(at(0), at(1), at(2), at(3), count: positions.count) }
        return LabelKey(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), count: positions.count)
    }

    /// Keeps the first `n` values (`n <= count`): the lookup key of a family whose view leaves out
    /// trailing labels, as opt-in labels always are. Only the count changes (hashing, comparison
    /// and `values` stop at it), so no value is copied, retained or released.
    @inline(__always)
    mutating func truncate(to n: Int) {
        count = n
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
            for i in 0..<count where values[i] != self[i] { return false }
            return true
        }
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
        case 4: tail?.e ?? ""
        case 5: tail?.f ?? ""
        case 6: tail?.g ?? ""
        case 7: tail?.h ?? ""
        default: tail?.rest?[i - 8] ?? ""
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

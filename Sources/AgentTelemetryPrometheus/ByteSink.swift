/// Appends bytes to a `[UInt8]` through a fixed scratch block.
///
/// An exposition is hundreds of thousands of small writes (a name, a label block, a few digits, a
/// newline). `Array.append(contentsOf:)` checks uniqueness and capacity on every call, which
/// profiled as most of the per-series cost; here a write is a bounds check and a `memcpy` into
/// the block, and the block goes into the array with one append when it is full (every ~16 KB).
///
/// The block is borrowed from `ByteSink.appending(to:_:)` (a temporary allocation that lives for
/// that call only); the sink must not escape the closure. Every write checks the room left first,
/// so no store goes past the block: writes larger than the block go to the array directly.
struct ByteSink {
    /// The array being appended to; it holds everything written except the block's contents.
    fileprivate(set) var out: [UInt8]
    private let block: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var used = 0
    /// `writeSeconds`' cache: the last whole second written and its digits.
    private var lastSeconds = UInt64.max
    private var lastSecondsDigits: (UInt64, UInt64) = (0, 0)
    private var lastSecondsCount = 0

    /// Size of the scratch block. Large enough that flushing is rare, small enough for the stack.
    static let blockSize = 16 * 1024

    private init(block: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.block = block
        self.capacity = capacity
        self.out = []
    }

    /// Runs `body` with a sink appending to `out`; everything written is in `out` when it returns.
    static func appending(to out: inout [UInt8], _ body: (inout ByteSink) -> Void) {
        func run(_ base: UnsafeMutablePointer<UInt8>, _ capacity: Int) {
            var sink = ByteSink(block: base, capacity: capacity)
            swap(&sink.out, &out)  // no copy: the array's storage moves into the sink and back
            body(&sink)
            sink.flush()
            swap(&sink.out, &out)
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockSize) { block in
            if let base = block.baseAddress {
                run(base, block.count)
            } else {
                // Not expected for a non-zero capacity; a heap block keeps the sink correct anyway.
                let heap = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
                defer { heap.deallocate() }
                run(heap, blockSize)
            }
        }
    }

    /// Moves the block's contents into the array.
    @inline(__always)
    mutating func flush() {
        guard used > 0 else { return }
        out.append(contentsOf: UnsafeBufferPointer(start: block, count: used))
        used = 0
    }

    /// Makes `n` bytes of room in the block (flushing it if needed); false when `n` exceeds the block.
    @inline(__always)
    private mutating func room(_ n: Int) -> Bool {
        if capacity &- used >= n { return true }
        flush()
        return n <= capacity
    }

    /// Writes one byte.
    @inline(__always)
    mutating func write(_ byte: UInt8) {
        if used == capacity { flush() }
        guard used < capacity else { out.append(byte); return }
        block[used] = byte
        used &+= 1
    }

    /// Writes the bytes of `bytes`.
    @inline(__always)
    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, let src = bytes.baseAddress else { return }
        guard room(n) else {
            out.append(contentsOf: bytes)
            return
        }
        ByteSink.copy(src, to: block + used, count: n)
        used &+= n
    }

    /// Copies `n` bytes: names and label blocks are mostly 8–128 bytes, where eight-byte moves
    /// inline beat a call to `memmove`. Reads and writes stay within `[0, n)` of both buffers
    /// (the last move overlaps the previous one instead of running past the end).
    @inline(__always)
    private static func copy(_ src: UnsafePointer<UInt8>, to dst: UnsafeMutablePointer<UInt8>, count n: Int) {
        if n >= 8 && n <= 128 {
            let s = UnsafeRawPointer(src), d = UnsafeMutableRawPointer(dst)
            var i = 0
            while i &+ 8 < n {
                d.storeBytes(of: s.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self), toByteOffset: n &- 8, as: UInt64.self)
        } else {
            dst.update(from: src, count: n)
        }
    }

    /// Writes the bytes of `bytes`.
    @inline(__always)
    mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    /// "00" to "99", for writing two digits per step.
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Number of decimal digits of `v` (independent comparisons, no chain of divisions).
    @inline(__always)
    private static func digitCount(_ v: UInt64) -> Int {
        var n = 1
        var p: UInt64 = 10
        while n < 20 && v >= p {
            n &+= 1
            if n == 20 { break }
            p &*= 10
        }
        return n
    }

    /// Writes the `digits` lowest decimal digits of `value` ending at `end` (exclusive), two at a
    /// time; the caller made room for them.
    @inline(__always)
    private mutating func fillDigits(_ value: UInt64, digits: Int, end: Int) {
        let pairs = ByteSink.digitPairs.utf8Start
        var v = value
        var i = end
        let start = end &- digits
        while i &- start >= 2 {
            let pair = Int(truncatingIfNeeded: v % 100) &* 2
            v /= 100
            i &-= 2
            block[i] = pairs[pair]
            block[i &+ 1] = pairs[pair &+ 1]
        }
        if i > start {
            block[i &- 1] = UInt8(truncatingIfNeeded: v % 10) &+ 48
        }
    }

    /// Writes `value` in decimal.
    @inline(__always)
    mutating func writeUInt(_ value: UInt64) {
        if value < 10 {
            write(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        let digits = ByteSink.digitCount(value)
        guard room(digits) else { NumberFormatting.appendUInt(value, to: &out); return }
        fillDigits(value, digits: digits, end: used &+ digits)
        used &+= digits
    }

    /// Writes a sample value exactly as `NumberFormatting.appendDouble` does (same bytes), with a
    /// fast path for integral values, which counters and bucket counts nearly always are.
    @inline(__always)
    mutating func writeDouble(_ value: Double, openMetricsStyle: Bool = false) {
        // Range check first: NaN and the infinities fail it and take the general path.
        if value > -9_007_199_254_740_992, value < 9_007_199_254_740_992 {
            let i = Int64(value)
            if Double(i) == value {
                if i < 0 { write(45) }  // -0.0 gives i == 0 and prints "0", as appendDouble does
                writeUInt(i.magnitude)
                if openMetricsStyle { write(46); write(48) }
                return
            }
        }
        // Non-integral or special: the same text as `NumberFormatting.appendDouble`. Swift's
        // shortest representation is usually at most 15 bytes (a small string, no allocation).
        if value.isNaN {
            write(78); write(97); write(78)  // NaN
        } else if value.isInfinite {
            write(value > 0 ? 43 : 45); write(73); write(110); write(102)  // +Inf / -Inf
        } else {
            var text = value.description
            text.withUTF8 { write($0) }
        }
    }

    /// Writes a time given in nanoseconds since the epoch as exact decimal seconds
    /// (`1700000000.5`, `1700000000.000000001`, `1700000000`).
    @inline(__always)
    mutating func writeSeconds(nanoseconds: UInt64) {
        let seconds = nanoseconds / 1_000_000_000
        if room(32) {
            // Series are mostly created within the same few seconds: reuse the last second's
            // digits (16 bytes are stored; `lastSecondsCount` of them count).
            if seconds == lastSeconds {
                let d = UnsafeMutableRawPointer(block + used)
                d.storeBytes(of: lastSecondsDigits.0, toByteOffset: 0, as: UInt64.self)
                d.storeBytes(of: lastSecondsDigits.1, toByteOffset: 8, as: UInt64.self)
                used &+= lastSecondsCount
            } else {
                let start = used
                writeUInt(seconds)  // no flush: the room was made above
                let count = used &- start
                if count <= 16 {
                    lastSeconds = seconds
                    lastSecondsCount = count
                    lastSecondsDigits = (0, 0)
                    withUnsafeMutableBytes(of: &lastSecondsDigits) {
                        $0.copyMemory(from: UnsafeRawBufferPointer(start: block + start, count: count))
                    }
                }
            }
        } else {
            writeUInt(seconds)
        }
        let fraction = nanoseconds % 1_000_000_000
        guard fraction > 0 else { return }
        guard room(10) else { return writeFractionSlowly(fraction) }
        // `.` and nine digits, then the trailing zeros are taken back (fraction > 0, so at
        // least one digit stays).
        block[used] = 46
        fillDigits(fraction, digits: 9, end: used &+ 10)
        var end = used &+ 10
        while block[end &- 1] == 48 { end &-= 1 }
        used = end
    }

    /// `writeSeconds`' fraction, one byte at a time (the block is smaller than 10 bytes: never in practice).
    private mutating func writeFractionSlowly(_ fraction: UInt64) {
        var digits: [UInt8] = [46]
        var divisor: UInt64 = 100_000_000
        while divisor > 0 {
            digits.append(UInt8(truncatingIfNeeded: (fraction / divisor) % 10) &+ 48)
            divisor /= 10
        }
        while digits.last == 48 { digits.removeLast() }
        write(digits)
    }
}

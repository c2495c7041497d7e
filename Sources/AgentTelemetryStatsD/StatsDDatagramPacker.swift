/// Packs StatsD lines into datagram payloads of at most `maxPacketSize` bytes.
///
/// Lines are joined with `\n` in the order given; a line is never split across two datagrams. An
/// entry may itself hold several lines joined by `\n` (a negative gauge's reset and value), which
/// then stay in one datagram. An entry longer than the limit cannot be sent and is refused.
/// Cost: each byte is copied once into its datagram.
public struct StatsDDatagramPacker: Sendable {
    /// The largest payload produced.
    public let maxPacketSize: Int
    /// Finished payloads, oldest first.
    public private(set) var datagrams: [[UInt8]] = []
    private var current: [UInt8] = []

    /// Creates a packer producing payloads of at most `maxPacketSize` bytes.
    public init(maxPacketSize: Int) {
        self.maxPacketSize = max(1, maxPacketSize)
    }

    /// Adds one entry. Returns `false`, keeping nothing, when it is longer than the limit.
    @discardableResult
    public mutating func append(_ line: [UInt8]) -> Bool {
        guard line.count <= maxPacketSize else { return false }
        if current.isEmpty {
            current.reserveCapacity(maxPacketSize)
            current.append(contentsOf: line)
        } else if current.count + 1 + line.count <= maxPacketSize {
            current.append(UInt8(ascii: "\n"))
            current.append(contentsOf: line)
        } else {
            datagrams.append(current)
            current = []
            current.reserveCapacity(maxPacketSize)
            current.append(contentsOf: line)
        }
        return true
    }

    /// Returns every payload, the partly filled last one included, and empties the packer.
    public mutating func finish() -> [[UInt8]] {
        if !current.isEmpty {
            datagrams.append(current)
            current = []
        }
        defer { datagrams = [] }
        return datagrams
    }

    /// Number of lines in a payload or entry: its `\n` separators plus one (0 when empty).
    public static func lineCount(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        var n = 1
        for b in bytes where b == UInt8(ascii: "\n") { n &+= 1 }
        return n
    }
}

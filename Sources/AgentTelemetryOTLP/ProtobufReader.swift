/// Reads protocol-buffers wire format from a byte array, enough to parse small responses.
///
/// Every read is bounds-checked; malformed input ends in `nil` or a thrown error, never a trap.
struct ProtobufReader {
    /// Why a buffer could not be read.
    enum Failure: Error, Equatable {
        case truncated
        case malformedVarint
        case unsupportedWireType(UInt8)
    }

    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// Creates a reader over `bytes[range]` (the whole array by default).
    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        let r = range ?? bytes.startIndex..<bytes.endIndex
        self.index = r.lowerBound
        self.end = r.upperBound
    }

    /// Whether all bytes were consumed.
    var isAtEnd: Bool { index >= end }

    /// Reads a varint.
    mutating func readVarint() throws(Failure) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < end else { throw .truncated }
            let b = bytes[index]
            index += 1
            guard shift < 64 else { throw .malformedVarint }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a field key, returning the field number and wire type; `nil` at the end.
    mutating func readTag() throws(Failure) -> (field: Int, wireType: UInt8)? {
        guard !isAtEnd else { return nil }
        let key = try readVarint()
        return (Int(truncatingIfNeeded: key >> 3), UInt8(truncatingIfNeeded: key & 7))
    }

    /// Reads a length-delimited payload and returns its range in the underlying array.
    mutating func readLengthDelimited() throws(Failure) -> Range<Int> {
        let length = try readVarint()
        guard length <= UInt64(end - index) else { throw .truncated }
        let start = index
        index += Int(length)
        return start..<index
    }

    /// Skips a field value of `wireType`.
    mutating func skip(_ wireType: UInt8) throws(Failure) {
        switch wireType {
        case 0: _ = try readVarint()
        case 1:
            guard end - index >= 8 else { throw .truncated }
            index += 8
        case 2: _ = try readLengthDelimited()
        case 5:
            guard end - index >= 4 else { throw .truncated }
            index += 4
        default: throw .unsupportedWireType(wireType)
        }
    }

    /// A reader over a sub-range of the same bytes (a nested message).
    func subReader(_ range: Range<Int>) -> ProtobufReader {
        ProtobufReader(bytes, range: range)
    }

    /// The UTF-8 string in `range` (invalid sequences replaced).
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

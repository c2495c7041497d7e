/// Random (version 4) UUID strings without Foundation.
@usableFromInline
enum RandomUUID {
    /// A new lowercase RFC 9562 version-4 UUID, e.g. `0b6f2d1e-3c4a-4f5e-9a7b-1c2d3e4f5a6b`.
    /// Cost: 16 bytes from the system random generator.
    @usableFromInline
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        var b = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &rng) }
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in b.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Checks `Authorization` headers in constant time.
struct HTTPAuthorization: Sendable {
    let expected: [UInt8]
    let challenge: String

    init(_ auth: ScrapeAuthentication) {
        switch auth {
        case .bearer(let token):
            expected = Array("Bearer \(token)".utf8)
            challenge = "Bearer realm=\"metrics\""
        case .basic(let user, let password):
            expected = Array("Basic ".utf8) + Base64.encode(Array("\(user):\(password)".utf8))
            challenge = "Basic realm=\"metrics\", charset=\"UTF-8\""
        }
    }

    /// True when `header` equals the expected credentials. The time taken depends only on the
    /// lengths involved, not on where the first difference is.
    func allows(_ header: String?) -> Bool {
        guard let header else { return false }
        let given = Array(header.utf8)
        var diff = UInt8(given.count == expected.count ? 0 : 1)
        let n = max(given.count, expected.count)
        for i in 0..<n {
            let a = i < given.count ? given[i] : 0
            let b = i < expected.count ? expected[i] : 0
            diff |= a ^ b
        }
        return diff == 0
    }
}

/// Standard base64 (RFC 4648) encoding.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(61); out.append(61)
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(61)
        }
        return out
    }
}

import struct Foundation.Data

/// One JSON-RPC 2.0 message read in place: the positions of its top-level members, found by
/// skipping over values rather than decoding them.
///
/// The instrumented transport reads every message that crosses it, so it reads as little as it
/// can: the top level once (`id`, `method`, and where `params`, `result` and `error` start), and
/// a nested member only when the measurement needs it (a tool's name for `tools/call`, `isError`
/// of a tool result, an error's `code`, the protocol version of `initialize`). Nothing is
/// allocated but the strings returned. Keys are compared as raw bytes (JSON-RPC members are
/// written without escapes); values are compared decoded, because Foundation's `JSONEncoder`,
/// which the SDK uses, writes `tools/call` as `tools\/call`.
///
/// A view borrows the message's bytes: use it only inside ``forEachMessage(in:_:)``'s closure.
struct JSONRPCMessageView {
    private let bytes: UnsafeRawBufferPointer
    /// The `id` token exactly as written (`7`, `"abc"`), or nil.
    private(set) var idRange: Range<Int>?
    private(set) var methodRange: Range<Int>?
    private(set) var paramsStart: Int?
    private(set) var resultStart: Int?
    private(set) var errorStart: Int?

    /// Calls `body` once per message in `data`: once for an object, once per element of a batch.
    /// Text that is not a JSON object (or an array of them) is skipped.
    static func forEachMessage(in data: Data, _ body: (JSONRPCMessageView) -> Void) {
        data.withUnsafeBytes { bytes in
            var scanner = JSONScanner(bytes: bytes)
            scanner.skipWhitespace()
            guard let first = scanner.peek() else { return }
            if first == UInt8(ascii: "{") {
                if let view = JSONRPCMessageView(bytes: bytes, objectAt: scanner.index) { body(view) }
            } else if first == UInt8(ascii: "[") {
                scanner.forEachElement { start in
                    if bytes[start] == UInt8(ascii: "{"), let view = JSONRPCMessageView(bytes: bytes, objectAt: start) {
                        body(view)
                    }
                }
            }
        }
    }

    private init?(bytes: UnsafeRawBufferPointer, objectAt start: Int) {
        self.bytes = bytes
        var scanner = JSONScanner(bytes: bytes, index: start)
        let probe = JSONScanner(bytes: bytes)
        var id: Range<Int>?, method: Range<Int>?, params: Int?, result: Int?, error: Int?
        let wellFormed = scanner.forEachMember { key, valueStart in
            switch key.count {
            case 2 where probe.bytesEqual(key, "id"):
                var s = JSONScanner(bytes: bytes, index: valueStart)
                if s.skipValue() { id = valueStart..<s.index }
            case 6 where probe.bytesEqual(key, "method"): method = probe.stringContent(at: valueStart)
            case 6 where probe.bytesEqual(key, "params"): params = valueStart
            case 6 where probe.bytesEqual(key, "result"): result = valueStart
            case 5 where probe.bytesEqual(key, "error"): error = valueStart
            default: break
            }
        }
        guard wellFormed else { return nil }
        idRange = id
        methodRange = method
        paramsStart = params
        resultStart = result
        errorStart = error
    }

    /// A request: it has a method and an id.
    var isRequest: Bool { methodRange != nil && idRange != nil }
    /// A notification: a method and no id.
    var isNotification: Bool { methodRange != nil && idRange == nil }
    /// A response: an id, no method, and a result or an error.
    var isResponse: Bool { methodRange == nil && idRange != nil && (resultStart != nil || errorStart != nil) }

    /// The id, the key that pairs a response with its request: a number as written, a string
    /// decoded and in quotes (so that `"7"` and `7` stay apart).
    var id: String? { idRange.map(token) }

    /// Whether the method is `name`; makes no string unless the method has escapes.
    func methodIs(_ name: StaticString) -> Bool {
        guard let methodRange else { return false }
        let scanner = JSONScanner(bytes: bytes)
        if !scanner.hasEscape(methodRange) { return scanner.bytesEqual(methodRange, name) }
        return scanner.decodedString(methodRange) == name.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    }

    /// The method name.
    var method: String? { methodRange.map { JSONScanner(bytes: bytes).decodedString($0) } }

    /// `params.name` (the tool of a `tools/call`, the prompt of `prompts/get`).
    var paramsName: String? { member("name", of: paramsStart).flatMap(stringValue) }

    /// `params.requestId` of `notifications/cancelled`, as written.
    var cancelledRequestID: String? {
        guard let start = member("requestId", of: paramsStart) else { return nil }
        var s = JSONScanner(bytes: bytes, index: start)
        return s.skipValue() ? token(start..<s.index) : nil
    }

    /// `protocolVersion` of an `initialize` request's params or its result.
    var protocolVersion: String? {
        (member("protocolVersion", of: resultStart) ?? member("protocolVersion", of: paramsStart)).flatMap(stringValue)
    }

    /// Whether `result.isError` is `true` (a tool that ran and failed).
    var resultIsError: Bool {
        guard let start = member("isError", of: resultStart) else { return false }
        return JSONScanner(bytes: bytes).literalIsTrue(at: start)
    }

    /// `error.code`, when the response is an error with an integer code.
    var errorCode: Int? {
        guard let start = member("code", of: errorStart) else { return errorStart == nil ? nil : 0 }
        return JSONScanner(bytes: bytes).integer(at: start)
    }

    private func member(_ name: StaticString, of objectStart: Int?) -> Int? {
        guard let objectStart, bytes[objectStart] == UInt8(ascii: "{") else { return nil }
        var scanner = JSONScanner(bytes: bytes, index: objectStart)
        let probe = JSONScanner(bytes: bytes)
        var found: Int?
        scanner.forEachMember { key, valueStart in
            if found == nil, probe.bytesEqual(key, name) { found = valueStart }
        }
        return found
    }

    private func stringValue(at start: Int) -> String? {
        let scanner = JSONScanner(bytes: bytes)
        return scanner.stringContent(at: start).map { scanner.decodedString($0) }
    }

    /// A scalar value as a key: a string decoded, in quotes; anything else as written.
    private func token(_ range: Range<Int>) -> String {
        let scanner = JSONScanner(bytes: bytes)
        if let content = scanner.stringContent(at: range.lowerBound) { return "\"" + scanner.decodedString(content) + "\"" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// A forward-only reader of JSON text that skips values without building them.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var index: Int = 0

    init(bytes: UnsafeRawBufferPointer, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Skips one value (string, number, literal, object or array). False on malformed text.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard let byte = peek() else { return false }
        switch byte {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["): return skipContainer()
        default:
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D:
                    return index > start
                default: index += 1
                }
            }
            return index > start
        }
    }

    /// Skips a string starting at its opening quote, escapes included.
    mutating func skipString() -> Bool {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): index += 1; return true
            default: index += 1
            }
        }
        return false
    }

    /// Skips an object or array by counting brackets outside strings.
    private mutating func skipContainer() -> Bool {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard skipString() else { return false }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { index += 1; return true }
            default: break
            }
            index += 1
        }
        return false
    }

    /// Calls `body` with each member's key (its content range) and the start of its value, for
    /// the object at `index`. Returns false when the text is not a well-formed object.
    @discardableResult
    mutating func forEachMember(_ body: (Range<Int>, Int) -> Void) -> Bool {
        guard peek() == UInt8(ascii: "{") else { return false }
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return true }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { return false }
            let keyStart = index + 1
            guard skipString() else { return false }
            let key = keyStart..<(index - 1)
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            let valueStart = index
            guard valueStart < bytes.count, skipValue() else { return false }
            body(key, valueStart)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return true
            default: return false
            }
        }
    }

    /// Calls `body` with the start of each element of the array at `index`.
    mutating func forEachElement(_ body: (Int) -> Void) {
        guard peek() == UInt8(ascii: "[") else { return }
        index += 1
        while true {
            skipWhitespace()
            guard let byte = peek(), byte != UInt8(ascii: "]") else { return }
            let start = index
            guard skipValue() else { return }
            body(start)
            skipWhitespace()
            guard peek() == UInt8(ascii: ",") else { return }
            index += 1
        }
    }

    func bytesEqual(_ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var i = 0
        for position in range {
            if bytes[position] != expected[i] { return false }
            i += 1
        }
        return true
    }

    /// The content range (without quotes) of the string value at `start`; nil when it is no string.
    func stringContent(at start: Int) -> Range<Int>? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var s = JSONScanner(bytes: bytes, index: start)
        guard s.skipString() else { return nil }
        return (start + 1)..<(s.index - 1)
    }

    /// Whether the string content `range` holds an escape.
    func hasEscape(_ range: Range<Int>) -> Bool {
        UnsafeRawBufferPointer(rebasing: bytes[range]).contains(UInt8(ascii: "\\"))
    }

    /// The string content `range` with its JSON escapes decoded (`\/`, `\"`, `\n`, `\u00e9`,
    /// surrogate pairs); a broken escape becomes U+FFFD.
    func decodedString(_ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard hasEscape(range) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for b in raw[at..<(at + 4)] {
                let digit: UInt8
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while i < raw.count {
            let b = raw[i]
            guard b == UInt8(ascii: "\\"), i + 1 < raw.count else { out.append(b); i += 1; continue }
            let escaped = raw[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = hex4(i).flatMap(Unicode.Scalar.init)
                if let high = hex4(i), (0xD800...0xDBFF).contains(high), i + 10 <= raw.count,
                   raw[i + 4] == UInt8(ascii: "\\"), raw[i + 5] == UInt8(ascii: "u"),
                   let low = hex4(i + 6), (0xDC00...0xDFFF).contains(low) {
                    scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                    i += 6
                }
                i += hex4(i) == nil ? 0 : 4
                out.append(contentsOf: String(scalar ?? "\u{FFFD}").utf8)
            default: out.append(escaped)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func literalIsTrue(at start: Int) -> Bool {
        start + 4 <= bytes.count && bytesEqual(start..<(start + 4), "true")
    }

    /// The integer at `start` (optional minus sign and digits), or nil.
    func integer(at start: Int) -> Int? {
        var i = start
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value = 0
        var digits = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), digits < 18 {
            value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            digits += 1
            i += 1
        }
        return digits == 0 ? nil : (negative ? -value : value)
    }
}

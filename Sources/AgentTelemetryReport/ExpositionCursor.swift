extension ExpositionParser {
    /// A read position in one line of an exposition.
    struct Cursor {
        let bytes: [UInt8]
        let line: Int
        var index = 0

        init(bytes: [UInt8], line: Int) {
            self.bytes = bytes
            self.line = line
        }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        mutating func advance() { index += 1 }

        func error(_ reason: String) -> ExpositionParseError { ExpositionParseError(line: line, reason: reason) }

        /// Skips spaces and tabs; returns how many.
        @discardableResult
        mutating func skipSpaces() -> Int {
            let start = index
            while let b = peek, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { advance() }
            return index - start
        }

        /// The bytes up to the next space, tab or end of line.
        mutating func word() -> String {
            let start = index
            while let b = peek, b != UInt8(ascii: " "), b != UInt8(ascii: "\t") { advance() }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        static func isNameStart(_ b: UInt8) -> Bool {
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || b == UInt8(ascii: "_") || b == UInt8(ascii: ":")
        }

        static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) }

        /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
        mutating func metricName() throws -> String {
            guard let first = peek, Self.isNameStart(first) else {
                let found = peek.map { String(decoding: [$0], as: UTF8.self) } ?? "end of line"
                throw error("expected a metric name, found \"\(found)\"")
            }
            let start = index
            while let b = peek, Self.isNameByte(b) { advance() }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A label name (no colons).
        mutating func labelName() throws -> String {
            let start = index
            while let b = peek, Self.isNameByte(b), b != UInt8(ascii: ":") { advance() }
            guard index > start, !(bytes[start] >= UInt8(ascii: "0") && bytes[start] <= UInt8(ascii: "9")) else {
                throw error("expected a label name")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Labels after the opening brace, through the closing brace.
        mutating func labels() throws -> [String: String] {
            var labels: [String: String] = [:]
            while true {
                skipSpaces()
                if peek == UInt8(ascii: "}") {
                    advance()
                    return labels
                }
                let name = try labelName()
                skipSpaces()
                guard peek == UInt8(ascii: "=") else { throw error("expected \"=\" after label \(name)") }
                advance()
                skipSpaces()
                guard peek == UInt8(ascii: "\"") else { throw error("expected a quoted value for label \(name)") }
                advance()
                guard labels[name] == nil else { throw error("duplicate label \(name)") }
                labels[name] = try quotedValue()
                skipSpaces()
                if peek == UInt8(ascii: ",") {
                    advance()
                } else if peek != UInt8(ascii: "}") {
                    throw error("expected \",\" or \"}\" after label \(name)")
                }
            }
        }

        /// A label value after its opening quote, through the closing quote; unescapes `\\`, `\"`, `\n`.
        mutating func quotedValue() throws -> String {
            var out: [UInt8] = []
            while let b = peek {
                advance()
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = peek else { throw error("unterminated escape in a label value") }
                    advance()
                    switch e {
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                    default: throw error("invalid escape \"\\\(String(decoding: [e], as: UTF8.self))\" in a label value")
                    }
                default:
                    out.append(b)
                }
            }
            throw error("unterminated label value")
        }

        /// The rest of a HELP line; unescapes `\\` and `\n`.
        mutating func helpText() throws -> String {
            var out: [UInt8] = []
            while let b = peek {
                advance()
                if b == UInt8(ascii: "\\"), let e = peek {
                    advance()
                    switch e {
                    case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "\\"): out.append(e)
                    default: out.append(contentsOf: [b, e])
                    }
                } else {
                    out.append(b)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// A float as Go's ParseFloat reads it, including `+Inf`, `-Inf` and `NaN`.
        mutating func value() throws -> Double {
            let text = word()
            switch text.lowercased() {
            case "+inf", "inf": return .infinity
            case "-inf": return -.infinity
            case "nan": return .nan
            default: break
            }
            guard let first = text.utf8.first,
                  first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                    || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
                  let value = Double(text), value.isFinite else {
                throw error("invalid sample value \"\(text)\"")
            }
            return value
        }
    }
}

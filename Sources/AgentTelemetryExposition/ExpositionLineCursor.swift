/// A read position in one line of an exposition: the one tokenizer of both text formats.
///
/// OpenMetrics is read to the letter of its grammar (one space between tokens, no trailing comma,
/// only the three escapes); 0.0.4 is read as Prometheus reads it (blanks and tabs between tokens,
/// a trailing comma in a label set, an unknown escape kept as written).
struct ExpositionLineCursor {
    let bytes: ArraySlice<UInt8>
    let line: Int
    let dialect: ExpositionDialect
    var index: Int

    init(_ bytes: ArraySlice<UInt8>, line: Int, dialect: ExpositionDialect) {
        self.bytes = bytes
        self.line = line
        self.dialect = dialect
        self.index = bytes.startIndex
    }

    var openMetrics: Bool { dialect == .openMetrics }
    var atEnd: Bool { index >= bytes.endIndex }
    var peek: UInt8? { atEnd ? nil : bytes[index] }
    mutating func advance() { index += 1 }

    func error(_ rule: ExpositionRule, _ reason: String) -> ExpositionParseError {
        ExpositionParseError(line: line, rule: rule, reason: reason, dialect: dialect)
    }

    /// What is at the cursor, for a message.
    var found: String {
        guard let b = peek else { return "end of line" }
        return "\"" + String(decoding: bytes[index..<min(index + 1 + Self.continuationCount(b), bytes.endIndex)], as: UTF8.self) + "\""
    }

    static func continuationCount(_ lead: UInt8) -> Int {
        lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
    }

    /// Skips spaces and tabs; returns how many.
    @discardableResult
    mutating func skipBlanks() -> Int {
        let start = index
        while let b = peek, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { advance() }
        return index - start
    }

    /// The separator between two tokens: exactly one space in OpenMetrics, blanks in 0.0.4.
    mutating func separator(before what: String) throws(ExpositionParseError) {
        if openMetrics {
            guard peek == UInt8(ascii: " ") else { throw error(.spacing, "expected one space before \(what), found \(found)") }
            advance()
            if peek == UInt8(ascii: " ") || peek == UInt8(ascii: "\t") {
                throw error(.spacing, "more than one space before \(what)")
            }
        } else {
            guard skipBlanks() > 0 else { throw error(.lineSyntax, "expected a blank before \(what), found \(found)") }
        }
    }

    /// The bytes up to the next space (and tab in 0.0.4) or the end of the line.
    mutating func token() -> Substring {
        let start = index
        while let b = peek, b != UInt8(ascii: " "), openMetrics || b != UInt8(ascii: "\t") { advance() }
        return Substring(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    /// The rest of the line, as it is.
    mutating func rest() -> [UInt8] {
        defer { index = bytes.endIndex }
        return Array(bytes[index...])
    }

    static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || b == UInt8(ascii: "_")
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`; `rule` is what a missing name breaks.
    mutating func metricName(missing rule: ExpositionRule = .metricName) throws(ExpositionParseError) -> String {
        guard let first = peek, Self.isLetter(first) || first == UInt8(ascii: ":") else {
            throw error(rule, "expected a metric name, found \(found)")
        }
        let start = index
        while let b = peek, Self.isLetter(b) || Self.isDigit(b) || b == UInt8(ascii: ":") { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`.
    mutating func labelName() throws(ExpositionParseError) -> String {
        guard let first = peek, Self.isLetter(first) else { throw error(.labelName, "expected a label name, found \(found)") }
        let start = index
        while let b = peek, Self.isLetter(b) || Self.isDigit(b) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A label set from its opening brace through its closing brace.
    mutating func labels() throws(ExpositionParseError) -> [String: String] {
        advance()
        var labels: [String: String] = [:]
        var expectLabel = true
        while true {
            if !openMetrics { skipBlanks() }
            if peek == UInt8(ascii: "}") {
                if openMetrics, !labels.isEmpty, expectLabel {
                    throw error(.labelSyntax, "a comma before \"}\" (OpenMetrics has no trailing comma)")
                }
                advance()
                return labels
            }
            guard expectLabel else { throw error(.labelSyntax, "expected \",\" or \"}\", found \(found)") }
            let name = try labelName()
            if !openMetrics { skipBlanks() }
            guard peek == UInt8(ascii: "=") else { throw error(.labelSyntax, "expected \"=\" after label \(name), found \(found)") }
            advance()
            if !openMetrics { skipBlanks() }
            guard peek == UInt8(ascii: "\"") else { throw error(.labelSyntax, "expected a quoted value for label \(name), found \(found)") }
            advance()
            let value = try quotedValue()
            guard labels.updateValue(value, forKey: name) == nil else {
                throw error(.duplicateLabel, "label \(name) appears twice")
            }
            if !openMetrics { skipBlanks() }
            if peek == UInt8(ascii: ",") {
                advance()
                expectLabel = true
            } else {
                expectLabel = false
            }
        }
    }

    /// A label value after its opening quote, through the closing quote, unescaped.
    mutating func quotedValue() throws(ExpositionParseError) -> String {
        var out: [UInt8] = []
        while let b = peek {
            advance()
            switch b {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let e = peek else { throw error(.labelSyntax, "unterminated label value") }
                advance()
                switch e {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                default:
                    // Prometheus keeps an unknown escape of 0.0.4 as written; OpenMetrics has none.
                    guard !openMetrics else {
                        throw error(.escape, "invalid escape \"\\\(String(decoding: [e], as: UTF8.self))\" in a label value")
                    }
                    out.append(contentsOf: [b, e])
                }
            default:
                out.append(b)
            }
        }
        throw error(.labelSyntax, "unterminated label value")
    }

    /// The rest of a HELP line, unescaped: `\\` and `\n` (and `\"` in OpenMetrics).
    mutating func helpText() throws(ExpositionParseError) -> String {
        var out: [UInt8] = []
        while let b = peek {
            advance()
            guard b == UInt8(ascii: "\\") else { out.append(b); continue }
            guard let e = peek else {
                if openMetrics { throw error(.escape, "a lone backslash ends the HELP text") }
                out.append(b)
                break
            }
            advance()
            switch e {
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "\\"): out.append(e)
            case UInt8(ascii: "\"") where openMetrics: out.append(e)
            default:
                guard !openMetrics else {
                    throw error(.escape, "invalid escape \"\\\(String(decoding: [e], as: UTF8.self))\" in HELP text")
                }
                out.append(contentsOf: [b, e])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A sample or exemplar value.
    mutating func value(of what: String) throws(ExpositionParseError) -> Double {
        let text = token()
        guard let value = ExpositionNumber.value(text) else {
            throw error(.number, "invalid value \"\(text)\" of \(what)")
        }
        return value
    }
}

/// A parser of the Prometheus text exposition format 0.0.4.
///
/// Handles `# HELP` and `# TYPE` lines (other comments are ignored), label values with the
/// `\\`, `\"` and `\n` escapes, `+Inf`, `-Inf` and `NaN` values and optional timestamps.
/// Anything else — an HTML page, JSON, a truncated line — is rejected with the line number.
/// Cost: one pass over the UTF-8 bytes; allocates one string per name, label and help text.
package enum ExpositionParser {
    /// Parses `text`, or throws ``ExpositionParseError`` at the first line that does not follow the format.
    package static func parse(_ text: String) throws -> Exposition {
        var exposition = Exposition()
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            var cursor = Cursor(bytes: line, line: lineNumber)
            cursor.skipSpaces()
            if cursor.atEnd { continue }
            if cursor.peek == UInt8(ascii: "#") {
                try parseComment(&cursor, into: &exposition)
            } else {
                exposition.samples.append(try parseSample(&cursor))
            }
        }
        return exposition
    }

    static func parseComment(_ cursor: inout Cursor, into exposition: inout Exposition) throws {
        cursor.advance()
        cursor.skipSpaces()
        let keyword = cursor.word()
        guard keyword == "HELP" || keyword == "TYPE" else { return }
        cursor.skipSpaces()
        let name = try cursor.metricName()
        if keyword == "HELP" {
            if !cursor.atEnd { cursor.advance() }
            exposition.help[name] = try cursor.helpText()
        } else {
            cursor.skipSpaces()
            let type = cursor.word()
            guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(type) else {
                throw cursor.error("unknown metric type \"\(type)\" for \(name)")
            }
            exposition.types[name] = type
        }
    }

    static func parseSample(_ cursor: inout Cursor) throws -> ExpositionSample {
        let name = try cursor.metricName()
        var labels: [String: String] = [:]
        var spaces = cursor.skipSpaces()
        if cursor.peek == UInt8(ascii: "{") {
            cursor.advance()
            labels = try cursor.labels()
            spaces = cursor.skipSpaces()
        }
        guard spaces > 0, !cursor.atEnd else { throw cursor.error("expected a space and a value after \(name)") }
        let value = try cursor.value()
        var timestamp: Int64?
        if cursor.skipSpaces() > 0, !cursor.atEnd {
            let text = cursor.word()
            guard let t = Int64(text) else { throw cursor.error("invalid timestamp \"\(text)\"") }
            timestamp = t
            cursor.skipSpaces()
        }
        guard cursor.atEnd else { throw cursor.error("unexpected text after the value of \(name)") }
        return ExpositionSample(name: name, labels: labels, value: value, timestamp: timestamp)
    }
}

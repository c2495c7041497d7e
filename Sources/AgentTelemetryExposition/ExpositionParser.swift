/// The parser of the Prometheus text format 0.0.4 and OpenMetrics 1.0, shared by the report and the test kit.
///
/// The format is chosen by the content type when it is known, and otherwise by the content (see
/// ``detectDialect(_:)``). Every rule the formats state as MUST is checked, and the first line that
/// breaks one is refused with its number and the rule (``ExpositionParseError``). Where Prometheus
/// itself reads 0.0.4 loosely, so does this parser: blanks and tabs between tokens, a trailing comma
/// in a label set, an unknown escape kept as written, comment lines, blank lines, a `\r` before the
/// line feed and a last line without one.
/// Cost: one pass over the bytes; one string per name, label and help text; a set of series per family.
package enum ExpositionParser {
    /// Parses `text` as the format `contentType` names, or as the content shows when it names neither.
    package static func parse(_ text: String, contentType: String? = nil) throws(ExpositionParseError) -> Exposition {
        try parse(Array(text.utf8), contentType: contentType)
    }

    /// Parses `bytes` (which need not be valid UTF-8: invalid text is refused with its line).
    package static func parse(_ bytes: [UInt8], contentType: String? = nil) throws(ExpositionParseError) -> Exposition {
        try parse(bytes, dialect: ExpositionDialect(contentType: contentType) ?? detectDialect(bytes))
    }

    /// Parses `bytes` as `dialect`.
    package static func parse(_ bytes: [UInt8], dialect: ExpositionDialect) throws(ExpositionParseError) -> Exposition {
        var reader = ExpositionReader(dialect: dialect)
        var lineNumber = 0
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            lineNumber += 1
            try reader.read(bytes[start..<end], line: lineNumber)
            start = end + 1
        }
        return try reader.finish(lastLine: lineNumber)
    }

    /// The format of a text whose content type is unknown: OpenMetrics when a line is `# EOF` or
    /// `# UNIT …`, a `# TYPE` names a type only OpenMetrics has, or a sample carries an exemplar
    /// (` # {`); Prometheus text 0.0.4 otherwise.
    package static func detectDialect(_ bytes: [UInt8]) -> ExpositionDialect {
        let openMetricsTypes: Set<Substring> = ["info", "stateset", "gaugehistogram", "unknown"]
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let text = String(decoding: line, as: UTF8.self)
            if text == "# EOF" || text.hasPrefix("# UNIT ") { return .openMetrics }
            if text.hasPrefix("# TYPE "), let type = text.split(separator: " ").last, openMetricsTypes.contains(type) {
                return .openMetrics
            }
            if !text.hasPrefix("#"), text.contains(" # {") { return .openMetrics }
        }
        return .prometheusText
    }
}

/// The state of one pass: families so far, which family owns which name, and the open family's checks.
struct ExpositionReader {
    let dialect: ExpositionDialect
    var families: [ExpositionFamily] = []
    /// Family name → index.
    var familyIndex: [String: Int] = [:]
    /// Every family name and every sample name a family's type allows → the family's index.
    var owner: [String: Int] = [:]
    /// The family whose lines are being read.
    var current: Int?
    var check = FamilyCheck()
    var sawEOF = false

    init(dialect: ExpositionDialect) { self.dialect = dialect }

    var openMetrics: Bool { dialect == .openMetrics }

    func error(_ line: Int, _ rule: ExpositionRule, _ reason: String) -> ExpositionParseError {
        ExpositionParseError(line: line, rule: rule, reason: reason, dialect: dialect)
    }

    mutating func read(_ raw: ArraySlice<UInt8>, line: Int) throws(ExpositionParseError) {
        guard String(validating: raw, as: UTF8.self) != nil else { throw error(line, .utf8, "the line is not valid UTF-8") }
        if openMetrics {
            if sawEOF { throw error(line, .afterEOF, "text after # EOF") }
            if raw.isEmpty { throw error(line, .blankLine, "a blank line") }
            if raw.elementsEqual("# EOF".utf8) {
                sawEOF = true
                return
            }
            var cursor = ExpositionLineCursor(raw, line: line, dialect: dialect)
            if cursor.peek == UInt8(ascii: "#") { try metadata(&cursor) } else { try sample(&cursor) }
        } else {
            var bytes = raw
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            var cursor = ExpositionLineCursor(bytes, line: line, dialect: dialect)
            cursor.skipBlanks()
            if cursor.atEnd { return }
            if cursor.peek == UInt8(ascii: "#") { try metadata(&cursor) } else { try sample(&cursor) }
        }
    }

    mutating func finish(lastLine: Int) throws(ExpositionParseError) -> Exposition {
        try closeFamily()
        if openMetrics, !sawEOF { throw error(max(lastLine, 1), .missingEOF, "the text ends without # EOF") }
        return Exposition(dialect: dialect, families: families)
    }

    // MARK: Metadata

    enum Keyword: String { case HELP, TYPE, UNIT }

    mutating func metadata(_ c: inout ExpositionLineCursor) throws(ExpositionParseError) {
        c.advance()
        let keyword: Keyword
        if openMetrics {
            try c.separator(before: "HELP, TYPE or UNIT")
            let word = c.token()
            guard let k = Keyword(rawValue: String(word)) else {
                throw c.error(.lineSyntax, "\"# \(word)\": OpenMetrics has no comments, only # HELP, # TYPE, # UNIT and # EOF")
            }
            keyword = k
            try c.separator(before: "the metric name")
        } else {
            c.skipBlanks()
            guard let k = Keyword(rawValue: String(c.token())), k != .UNIT else { return }  // a comment
            keyword = k
            c.skipBlanks()
        }
        let name = try c.metricName()
        let value: String
        switch keyword {
        case .HELP:
            if openMetrics { try c.separator(before: "the HELP text") } else if !c.atEnd {
                guard c.skipBlanks() > 0 else { throw c.error(.metricName, "expected a blank after the name \(name), found \(c.found)") }
            }
            value = try c.helpText()
        case .TYPE, .UNIT:
            try c.separator(before: keyword == .TYPE ? "the type" : "the unit")
            if keyword == .UNIT {
                value = String(decoding: c.rest(), as: UTF8.self)
                guard value.utf8.allSatisfy({ ExpositionLineCursor.isLetter($0) || ExpositionLineCursor.isDigit($0) || $0 == UInt8(ascii: ":") }) else {
                    throw c.error(.unit, "invalid unit \"\(value)\"")
                }
            } else {
                value = String(c.token())
                if !openMetrics { c.skipBlanks() }
                guard c.atEnd else { throw c.error(.lineSyntax, "unexpected text after the type of \(name)") }
            }
        }
        try declare(keyword, name: name, value: value, line: c.line)
    }

    mutating func declare(_ keyword: Keyword, name: String, value: String, line: Int) throws(ExpositionParseError) {
        let index: Int
        if let existing = familyIndex[name] {
            guard existing == current else {
                throw error(line, .familiesContiguous, "# \(keyword) \(name) after the lines of family \(name) ended")
            }
            guard families[existing].samples.isEmpty else {
                throw error(line, .metadataFirst, "# \(keyword) \(name) after samples of \(name)")
            }
            let family = families[existing]
            let repeated = switch keyword {
            case .HELP: family.help != nil
            case .TYPE: family.typeDeclared
            case .UNIT: family.unit != nil
            }
            if repeated { throw error(line, .metadataOnce, "a second # \(keyword) for \(name)") }
            index = existing
        } else {
            if let other = owner[name] {
                throw error(line, .nameClash, "\(name) is a sample name of family \(families[other].name)")
            }
            index = try openFamily(name, line: line)
        }
        switch keyword {
        case .HELP: families[index].help = value
        case .UNIT:
            families[index].unit = value
            check.unitLine = line
        case .TYPE:
            guard let type = ExpositionMetricType(rawValue: value), type.exists(in: dialect) else {
                throw error(line, .metricType, "\"\(value)\" is not a type of \(dialect.rawValue)")
            }
            families[index].type = type
            families[index].typeDeclared = true
            for suffix in type.sampleSuffixes(in: dialect) {
                if let other = owner[name + suffix], other != index {
                    throw error(line, .nameClash, "\(name + suffix) of the \(type) \(name) is already a name of family \(families[other].name)")
                }
                owner[name + suffix] = index
            }
        }
    }

    /// Closes the open family and opens `name`, untyped (0.0.4) or unknown (OpenMetrics).
    mutating func openFamily(_ name: String, line: Int) throws(ExpositionParseError) -> Int {
        try closeFamily()
        let index = families.count
        families.append(ExpositionFamily(name: name, type: openMetrics ? .unknown : .untyped, typeDeclared: false))
        familyIndex[name] = index
        owner[name] = index
        current = index
        check = FamilyCheck()
        return index
    }

    // MARK: Samples

    mutating func sample(_ c: inout ExpositionLineCursor) throws(ExpositionParseError) {
        let (sample, time) = try c.sample()
        let line = c.line
        let index: Int
        if let open = current, families[open].allows(sample.name, dialect) {
            index = open
        } else if let other = owner[sample.name] {
            let family = families[other]
            if other == current {
                let names = family.type.sampleSuffixes(in: dialect).map { family.name + $0 }.joined(separator: ", ")
                throw error(line, .sampleSuffix, "\(sample.name) is not a sample of the \(family.type) \(family.name) (\(names))")
            }
            throw error(line, .familiesContiguous, "a sample of family \(family.name) after its lines ended")
        } else {
            index = try openFamily(sample.name, line: line)
        }
        try check.sample(sample, time: time, line: line, family: families[index], dialect: dialect)
        families[index].samples.append(sample)
    }

    mutating func closeFamily() throws(ExpositionParseError) {
        guard let open = current else { return }
        try check.close(families[open], dialect: dialect)
        current = nil
    }
}

extension ExpositionFamily {
    /// Whether a sample named `sample` belongs to this family by its type's suffixes.
    func allows(_ sample: String, _ dialect: ExpositionDialect) -> Bool {
        guard sample.hasPrefix(name) else { return false }
        return type.sampleSuffixes(in: dialect).contains(String(sample.dropFirst(name.count)))
    }
}

extension ExpositionLineCursor {
    /// A sample line: name, labels, value, timestamp and (OpenMetrics) exemplar. Returns the sample and
    /// its time as written (seconds in OpenMetrics, milliseconds in 0.0.4) for ordering checks.
    mutating func sample() throws(ExpositionParseError) -> (ExpositionSample, Double?) {
        let name = try metricName(missing: .lineSyntax)
        var labels: [String: String] = [:]
        let blanks = openMetrics ? 0 : skipBlanks()
        if peek == UInt8(ascii: "{") {
            labels = try self.labels()
            try separator(before: "the value of \(name)")
        } else if openMetrics {
            try separator(before: "the value of \(name)")
        } else if blanks == 0 {
            throw error(.lineSyntax, "expected a blank before the value of \(name), found \(found)")
        }
        if atEnd { throw error(.lineSyntax, "expected the value of \(name), found end of line") }
        var sample = ExpositionSample(name: name, labels: labels, value: try value(of: name))
        var time: Double?
        if openMetrics {
            if atEnd { return (sample, nil) }
            try separator(before: "a timestamp or an exemplar")
            if atEnd { throw error(.spacing, "a space at the end of the line") }
            if peek != UInt8(ascii: "#") {
                let text = token()
                guard let seconds = ExpositionNumber.seconds(text), let ms = Int64(exactly: (seconds * 1000).rounded()) else {
                    throw error(.timestamp, "invalid timestamp \"\(text)\" of \(name)")
                }
                time = seconds
                sample.timestamp = ms
                if atEnd { return (sample, time) }
                try separator(before: "an exemplar")
            }
            guard peek == UInt8(ascii: "#") else { throw error(.lineSyntax, "unexpected \(found) after the value of \(name)") }
            advance()
            try separator(before: "the exemplar's labels")
            guard peek == UInt8(ascii: "{") else { throw error(.exemplar, "expected the exemplar's labels, found \(found)") }
            let exemplarLabels = try self.labels()
            try separator(before: "the exemplar's value")
            var exemplar = ExpositionExemplar(labels: exemplarLabels, value: try value(of: "the exemplar of \(name)"))
            if !atEnd {
                try separator(before: "the exemplar's timestamp")
                let text = token()
                guard let seconds = ExpositionNumber.seconds(text) else {
                    throw error(.timestamp, "invalid exemplar timestamp \"\(text)\" of \(name)")
                }
                exemplar.timestamp = seconds
                guard atEnd else { throw error(.lineSyntax, "unexpected \(found) after the exemplar of \(name)") }
            }
            sample.exemplar = exemplar
        } else {
            skipBlanks()
            if atEnd { return (sample, nil) }
            if peek == UInt8(ascii: "#") {
                throw error(.timestamp, "invalid timestamp \"#\" of \(name): exemplars exist only in OpenMetrics")
            }
            let text = token()
            guard let ms = ExpositionNumber.milliseconds(text) else {
                throw error(.timestamp, "invalid timestamp \"\(text)\" of \(name)")
            }
            sample.timestamp = ms
            time = Double(ms)
            skipBlanks()
            guard atEnd else { throw error(.lineSyntax, "unexpected \(found) after the timestamp of \(name)") }
        }
        return (sample, time)
    }
}

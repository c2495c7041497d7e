/// A rule of the text formats that a refused exposition broke, named so that a refusal says which.
package enum ExpositionRule: String, Sendable, Hashable, CaseIterable {
    case utf8 = "the text is UTF-8"
    case lineSyntax = "a line is a sample, a metadata line or (0.0.4) a comment"
    case metricName = "metric names match [a-zA-Z_:][a-zA-Z0-9_:]*"
    case labelSyntax = "labels are {name=\"value\",…}"
    case labelName = "label names match [a-zA-Z_][a-zA-Z0-9_]*"
    case duplicateLabel = "a label name appears once per label set"
    case escape = "label values and HELP escape only \\\\, \\\" and \\n"
    case spacing = "OpenMetrics separates tokens with exactly one space"
    case number = "values are floats, +Inf, -Inf or NaN"
    case timestamp = "timestamps are integers of milliseconds (0.0.4) or non-special floats of seconds (OpenMetrics)"
    case metricType = "# TYPE names a type of the format"
    case metadataOnce = "HELP, TYPE and UNIT appear at most once per family"
    case metadataFirst = "a family's metadata precedes its samples"
    case familiesContiguous = "a family's lines are contiguous"
    case nameClash = "a name belongs to one family"
    case sampleSuffix = "a sample's name is its family's name with a suffix its type allows"
    case duplicateSeries = "a series appears once (per timestamp)"
    case seriesContiguous = "a series' samples are contiguous, timestamps all present or all absent and not going back"
    case counterValue = "counter totals, counts, buckets and (OpenMetrics) sums are neither negative nor NaN"
    case integerCount = "histogram buckets and counts are integers (OpenMetrics)"
    case leLabel = "a bucket has an le label that is a number, +Inf written +Inf"
    case bucketOrder = "buckets are in increasing le order"
    case cumulativeBuckets = "bucket counts are cumulative"
    case infBucket = "a histogram has a +Inf bucket"
    case countMatchesInf = "_count equals the +Inf bucket"
    case countAndSum = "_count and _sum come together (OpenMetrics)"
    case sumWithNegativeBuckets = "a histogram with negative buckets has no _sum (OpenMetrics)"
    case quantileLabel = "a summary quantile has a quantile label between 0 and 1 and a non-negative value"
    case statesetValue = "a stateset sample has its family's label and the value 0 or 1"
    case infoValue = "an info sample has the value 1"
    case unit = "a family with a UNIT is named with the unit as suffix, and is not info or stateset"
    case exemplar = "exemplars follow counter _total and histogram _bucket samples only, with labels of at most 128 characters"
    case blankLine = "OpenMetrics has no blank lines"
    case afterEOF = "nothing follows # EOF"
    case missingEOF = "OpenMetrics ends with # EOF"
}

/// Why a text is not a valid exposition: the line, the rule it broke and what was found there.
package struct ExpositionParseError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The 1-based line number of the first offending line.
    package var line: Int
    /// The rule of the format the line breaks.
    package var rule: ExpositionRule
    /// What was wrong there.
    package var reason: String
    /// The format the text was read as.
    package var dialect: ExpositionDialect

    /// Creates the error.
    package init(line: Int, rule: ExpositionRule = .lineSyntax, reason: String, dialect: ExpositionDialect = .prometheusText) {
        self.line = line
        self.rule = rule
        self.reason = reason
        self.dialect = dialect
    }

    /// `not a Prometheus text exposition: line 9: … (rule: …)`.
    package var description: String {
        let what = dialect == .openMetrics ? "not an OpenMetrics exposition" : "not a Prometheus text exposition"
        return "\(what): line \(line): \(reason) (rule: \(rule.rawValue))"
    }
}

/// Why a metric could not be registered. Every case names the offending name and the rule it broke.
public enum MetricRegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The metric name does not match `[a-zA-Z_:][a-zA-Z0-9_:]*`, is empty or starts with `__`.
    case invalidMetricName(String, reason: String)
    /// A label name does not match `[a-zA-Z_][a-zA-Z0-9_]*` or starts with `__` (reserved).
    case invalidLabelName(metric: String, label: String, reason: String)
    /// The same label name appears twice.
    case duplicateLabelName(metric: String, label: String)
    /// A family with this name exists with another type.
    case typeConflict(metric: String, existing: MetricType, requested: MetricType)
    /// A family with this name exists with other label names.
    case labelConflict(metric: String, existing: [String], requested: [String])
    /// A histogram family with this name exists with other bucket boundaries.
    case bucketConflict(metric: String)
    /// Histogram boundaries are empty, not strictly increasing, or not finite.
    case invalidBuckets(metric: String, reason: String)
    /// A view cannot be applied to the metric (a rename onto a taken or invalid name).
    case viewConflict(metric: String, reason: String)

    public var description: String {
        switch self {
        case .invalidMetricName(let name, let reason):
            return "invalid metric name \"\(name)\": \(reason)"
        case .invalidLabelName(let metric, let label, let reason):
            return "invalid label name \"\(label)\" on metric \"\(metric)\": \(reason)"
        case .duplicateLabelName(let metric, let label):
            return "label name \"\(label)\" appears twice on metric \"\(metric)\""
        case .typeConflict(let metric, let existing, let requested):
            return "metric \"\(metric)\" is already registered as a \(existing.rawValue), cannot register it as a \(requested.rawValue)"
        case .labelConflict(let metric, let existing, let requested):
            return "metric \"\(metric)\" is already registered with labels \(existing), cannot register it with labels \(requested)"
        case .bucketConflict(let metric):
            return "histogram \"\(metric)\" is already registered with different bucket boundaries"
        case .invalidBuckets(let metric, let reason):
            return "invalid buckets for histogram \"\(metric)\": \(reason)"
        case .viewConflict(let metric, let reason):
            return "view on metric \"\(metric)\" cannot be applied: \(reason)"
        }
    }
}

/// The Prometheus naming rules, shared by the registry and the exporters.
public enum MetricNameRules {
    @inlinable static func isLetterOrUnderscore(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F
    }
    @inlinable static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Returns `nil` when `name` is a valid metric name, else the reason it is not.
    public static func metricNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return "the name is empty" }
        if !(isLetterOrUnderscore(first) || first == 0x3A) {
            return "must start with a letter, '_' or ':' (pattern [a-zA-Z_:][a-zA-Z0-9_:]*)"
        }
        if let bad = bytes.first(where: { !(isLetterOrUnderscore($0) || isDigit($0) || $0 == 0x3A) }) {
            return "character \"\(String(decoding: [bad], as: UTF8.self))\" is not allowed (pattern [a-zA-Z_:][a-zA-Z0-9_:]*)"
        }
        if bytes.count >= 2 && bytes[0] == 0x5F && bytes[1] == 0x5F {
            return "names starting with \"__\" are reserved for Prometheus"
        }
        return nil
    }

    /// Returns `nil` when `name` is a valid label name, else the reason it is not.
    public static func labelNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return "the name is empty" }
        if !isLetterOrUnderscore(first) {
            return "must start with a letter or '_' (pattern [a-zA-Z_][a-zA-Z0-9_]*)"
        }
        if let bad = bytes.first(where: { !(isLetterOrUnderscore($0) || isDigit($0)) }) {
            return "character \"\(String(decoding: [bad], as: UTF8.self))\" is not allowed (pattern [a-zA-Z_][a-zA-Z0-9_]*)"
        }
        if bytes.count >= 2 && bytes[0] == 0x5F && bytes[1] == 0x5F {
            return "label names starting with \"__\" are reserved for Prometheus"
        }
        if name == "le" || name == "quantile" {
            return "\"\(name)\" is reserved for histogram and summary series"
        }
        return nil
    }

    /// Validates a metric name and its label names.
    public static func validate(metric name: String, labelNames: [String]) throws(MetricRegistrationError) {
        if let problem = metricNameProblem(name) {
            throw .invalidMetricName(name, reason: problem)
        }
        var seen = Set<String>()
        for label in labelNames {
            if let problem = labelNameProblem(label) {
                throw .invalidLabelName(metric: name, label: label, reason: problem)
            }
            if !seen.insert(label).inserted {
                throw .duplicateLabelName(metric: name, label: label)
            }
        }
    }
}

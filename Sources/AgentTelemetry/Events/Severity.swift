/// Severity of a finding (code issue, vulnerability).
public enum Severity: LabelValueConvertible, CaseIterable {
    /// Must be fixed now.
    case critical
    /// Should be fixed soon.
    case high
    /// Worth fixing.
    case medium
    /// Minor.
    case low
    /// Informational.
    case info

    public var labelValue: String {
        switch self {
        case .critical: "critical"
        case .high: "high"
        case .medium: "medium"
        case .low: "low"
        case .info: "info"
        }
    }
}

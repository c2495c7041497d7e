/// The result of an authorization check.
public enum AuthorizationResult: LabelValueConvertible {
    /// Access granted.
    case allowed
    /// Access refused.
    case denied
    /// The check itself failed.
    case error

    public var labelValue: String {
        switch self {
        case .allowed: "allowed"
        case .denied: "denied"
        case .error: "error"
        }
    }
}

/// Why an authorization check ended as it did.
public enum AuthorizationReason: LabelValueConvertible {
    /// Credentials and permissions were fine.
    case granted
    /// No credentials were presented.
    case missingCredentials
    /// Credentials were invalid.
    case invalidCredentials
    /// Credentials had expired.
    case expiredCredentials
    /// The principal lacks the permission.
    case insufficientPermissions
    /// A policy rule refused it.
    case policyViolation
    /// Too many attempts.
    case rateLimited
    /// Anything else.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .granted: "granted"
        case .missingCredentials: "missing_credentials"
        case .invalidCredentials: "invalid_credentials"
        case .expiredCredentials: "expired_credentials"
        case .insufficientPermissions: "insufficient_permissions"
        case .policyViolation: "policy_violation"
        case .rateLimited: "rate_limited"
        case .custom(let s): s
        }
    }
}

/// An authorization check was made.
public struct AuthorizationCheck: TelemetryEvent {
    public static let eventName = "authorization_check"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it was made.
    public var timestamp: EventTimestamp
    /// Allowed, denied or error.
    public var result: AuthorizationResult
    /// Why.
    public var reason: AuthorizationReason

    /// Creates the event.
    public init(result: AuthorizationResult, reason: AuthorizationReason, timestamp: EventTimestamp = .now) {
        self.result = result
        self.reason = reason
        self.timestamp = timestamp
    }
}

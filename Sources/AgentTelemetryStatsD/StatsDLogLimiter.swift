import AgentTelemetry

/// What a rate-limited StatsD message is about; each kind is limited on its own.
enum StatsDLogKind: Hashable, Sendable {
    /// A datagram could not be sent, or the socket reported an error (ECONNREFUSED).
    case send
    /// The server's host name could not be resolved.
    case resolve
}

/// The StatsD exporter's repeated warnings, limited per kind (see `RateLimitedLog`).
typealias StatsDLogLimiter = RateLimitedLog<StatsDLogKind>

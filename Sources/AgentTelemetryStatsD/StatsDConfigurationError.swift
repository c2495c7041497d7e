import AgentTelemetry

/// Why a ``StatsDConfiguration`` cannot be used. Each case says which setting is wrong and why;
/// ``issue`` gives it as a configuration issue keyed by the file's name of the setting.
/// Internal: the public API reports these as `ConfigurationIssue`s (`validate()`) and
/// `ConfigurationIssues` (the exporter's initialiser), the one public configuration error type.
enum StatsDConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host is empty.
    case emptyHost
    /// The host is not a host name or address (`reason` says why: a space, a control character, its length).
    case invalidHost(String, reason: String)
    /// The port is outside 1...65535.
    case invalidPort(Int)
    /// The Unix domain socket path is empty or longer than the 107 bytes `sun_path` can hold;
    /// `reason` reads after the path ("is required for the uds transport").
    case invalidSocketPath(String, reason: String)
    /// The maximum datagram payload is outside the allowed range for the transport.
    case invalidMaxPacketSize(Int, allowed: ClosedRange<Int>)
    /// The flush interval is outside ``StatsDConfiguration/flushIntervalLimits``.
    case invalidFlushInterval(Duration)
    /// The sample rate is not in (0, 1].
    case invalidSampleRate(Double)
    /// The queue capacity is outside ``StatsDConfiguration/queueCapacityLimits``.
    case invalidQueueCapacity(Int)
    /// A constant tag has an empty key.
    case emptyTagKey

    /// The problem as a configuration issue: the setting's key (`port`, `max_packet_size`) and
    /// what is wrong with it.
    var issue: ConfigurationIssue {
        switch self {
        case .emptyHost:
            ConfigurationIssue(["host"], "must not be empty")
        case .invalidHost(let host, let reason):
            ConfigurationIssue(["host"], "\(ConfigurationText.quotedForMessage(host)) \(reason)")
        case .invalidPort(let port):
            ConfigurationIssue(["port"], "\(port) is not between 1 and 65535")
        case .invalidSocketPath(let path, let reason):
            ConfigurationIssue(["socket_path"], path.isEmpty ? reason : "\(ConfigurationText.quotedForMessage(path)) \(reason)")
        case .invalidMaxPacketSize(let size, let allowed):
            ConfigurationIssue(["max_packet_size"], "\(size) is out of range \(allowed.lowerBound)…\(allowed.upperBound) bytes for this transport")
        case .invalidFlushInterval(let value):
            ConfigurationIssue.outOfRange(["flush_interval"], value, limits: StatsDConfiguration.flushIntervalLimits)
                ?? ConfigurationIssue(["flush_interval"], "must be between \(ConfigDuration(StatsDConfiguration.flushIntervalLimits.lowerBound)) and \(ConfigDuration(StatsDConfiguration.flushIntervalLimits.upperBound))")
        case .invalidSampleRate(let rate):
            ConfigurationIssue(["sample_rate"], "\(rate) is not in (0, 1]")
        case .invalidQueueCapacity(let capacity):
            ConfigurationIssue(["queue_capacity"], "\(capacity) is out of range \(StatsDConfiguration.queueCapacityLimits.lowerBound)…\(StatsDConfiguration.queueCapacityLimits.upperBound)")
        case .emptyTagKey:
            ConfigurationIssue(["tags"], "tag keys must not be empty")
        }
    }

    /// `statsd: <key>: <problem>`.
    var description: String { "statsd: \(issue)" }
}

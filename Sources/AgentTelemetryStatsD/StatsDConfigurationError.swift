/// Why a ``StatsDConfiguration`` cannot be used. Each case says which setting is wrong and why.
public enum StatsDConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host is empty.
    case emptyHost
    /// The port is outside 1...65535.
    case invalidPort(Int)
    /// The Unix domain socket path is empty or longer than the 107 bytes `sun_path` can hold.
    case invalidSocketPath(String, reason: String)
    /// The maximum datagram payload is outside the allowed range for the transport.
    case invalidMaxPacketSize(Int, allowed: ClosedRange<Int>)
    /// The flush interval is not positive.
    case invalidFlushInterval(Duration)
    /// The sample rate is not in (0, 1].
    case invalidSampleRate(Double)
    /// The queue capacity is below 1.
    case invalidQueueCapacity(Int)
    /// A constant tag has an empty key.
    case emptyTagKey

    public var description: String {
        switch self {
        case .emptyHost:
            return "statsd: host must not be empty"
        case .invalidPort(let port):
            return "statsd: port \(port) is outside 1...65535"
        case .invalidSocketPath(let path, let reason):
            return "statsd: unix domain socket path \"\(path)\" is unusable: \(reason)"
        case .invalidMaxPacketSize(let size, let allowed):
            return "statsd: maxPacketSize \(size) is outside \(allowed.lowerBound)...\(allowed.upperBound) bytes for this transport"
        case .invalidFlushInterval(let interval):
            return "statsd: flushInterval \(interval) must be greater than zero"
        case .invalidSampleRate(let rate):
            return "statsd: sampleRate \(rate) must be greater than 0 and at most 1"
        case .invalidQueueCapacity(let capacity):
            return "statsd: queueCapacity \(capacity) must be at least 1"
        case .emptyTagKey:
            return "statsd: constant tag keys must not be empty"
        }
    }
}

/// Settings of a ``StatsDExporter``: where to send, in which dialect, and how to batch.
///
/// All properties have defaults suited to a local agent (`127.0.0.1:8125`, etsy lines, 100 ms
/// flushes). Call ``validate()`` (the exporter does) to get a clear error for unusable values.
public struct StatsDConfiguration: Sendable, Hashable {
    /// Server host name or address for UDP. Default `127.0.0.1`.
    public var host: String
    /// Server UDP port. Default 8125.
    public var port: Int
    /// UDP or Unix domain datagram socket. Default `.udp`.
    public var transport: StatsDTransport
    /// Line dialect. Default `.etsy`.
    public var flavour: StatsDFlavour
    /// Prepended to every metric name as given, e.g. `"myagent."`. Default empty.
    public var prefix: String
    /// Tags added to every line by the tagged flavours (DogStatsD, Telegraf); a series label with
    /// the same key wins. The etsy flavour has no tags and ignores these.
    public var constantTags: [String: String]
    /// Largest datagram payload in bytes; `nil` means 1432 for UDP (fits an Ethernet MTU of 1500)
    /// and 8192 for a Unix domain socket. See ``effectiveMaxPacketSize``.
    public var maxPacketSize: Int?
    /// How often queued lines are sent when a datagram has not filled up first. Default 100 ms.
    public var flushInterval: Duration
    /// Probability with which each counter increment and histogram observation is sent, marked
    /// `|@rate` so the server scales it back up. Gauges are never sampled. Default 1 (no sampling).
    public var sampleRate: Double
    /// Lines held while waiting to be sent; beyond it new lines are dropped and counted. Default 10,000.
    public var queueCapacity: Int
    /// Send errors are logged at most once per this interval (all are counted). Default 10 s.
    public var errorLogInterval: Duration

    /// Creates a configuration; every parameter has the documented default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8125,
        transport: StatsDTransport = .udp,
        flavour: StatsDFlavour = .etsy,
        prefix: String = "",
        constantTags: [String: String] = [:],
        maxPacketSize: Int? = nil,
        flushInterval: Duration = .milliseconds(100),
        sampleRate: Double = 1.0,
        queueCapacity: Int = 10_000,
        errorLogInterval: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.transport = transport
        self.flavour = flavour
        self.prefix = prefix
        self.constantTags = constantTags
        self.maxPacketSize = maxPacketSize
        self.flushInterval = flushInterval
        self.sampleRate = sampleRate
        self.queueCapacity = queueCapacity
        self.errorLogInterval = errorLogInterval
    }

    /// Default payload limit for UDP: 1500 (Ethernet MTU) minus IPv6 and UDP headers, rounded down.
    public static let defaultUDPMaxPacketSize = 1432
    /// Default payload limit for a Unix domain datagram socket.
    public static let defaultUnixDomainSocketMaxPacketSize = 8192

    /// The payload limit in force: ``maxPacketSize`` or the transport's default.
    public var effectiveMaxPacketSize: Int {
        if let maxPacketSize { return maxPacketSize }
        switch transport {
        case .udp: return Self.defaultUDPMaxPacketSize
        case .unixDomainSocket: return Self.defaultUnixDomainSocketMaxPacketSize
        }
    }

    /// Checks every setting; throws the first problem found. Cost: a few comparisons.
    public func validate() throws(StatsDConfigurationError) {
        switch transport {
        case .udp:
            if host.isEmpty { throw .emptyHost }
            if !(1...65535).contains(port) { throw .invalidPort(port) }
        case .unixDomainSocket(let path):
            if path.isEmpty { throw .invalidSocketPath(path, reason: "the path is empty") }
            if path.utf8.count > 107 {
                throw .invalidSocketPath(path, reason: "longer than the 107 bytes a socket address holds")
            }
        }
        // 65507 is the largest IPv4 UDP payload; Unix datagram sockets are bounded by the send buffer.
        let allowed: ClosedRange<Int>
        switch transport {
        case .udp: allowed = 64...65507
        case .unixDomainSocket: allowed = 64...212_992
        }
        if !allowed.contains(effectiveMaxPacketSize) {
            throw .invalidMaxPacketSize(effectiveMaxPacketSize, allowed: allowed)
        }
        if flushInterval <= .zero { throw .invalidFlushInterval(flushInterval) }
        if !(sampleRate > 0 && sampleRate <= 1) { throw .invalidSampleRate(sampleRate) }
        if queueCapacity < 1 { throw .invalidQueueCapacity(queueCapacity) }
        if constantTags.keys.contains(where: \.isEmpty) { throw .emptyTagKey }
    }
}

import AgentTelemetry

/// Settings of a ``StatsDExporter``: where to send, in which dialect, and how to batch.
///
/// All properties have defaults suited to a local agent (`127.0.0.1:8125`, etsy lines, 100 ms
/// flushes). Call ``validate()`` (the exporter does) to get every problem of unusable values.
///
/// In the configuration file it is `exporters.statsd` (`host`, `port`, `transport`,
/// `socket_path`, `flavor`, `prefix`, `tags`, `max_packet_size`, `flush_interval`, `sample_rate`,
/// `queue_capacity`, `aggregation`).
public struct StatsDConfiguration: TelemetryConfigurationSection, Encodable, Hashable {
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
    /// Probability with which each histogram observation (and, without ``aggregation``, each
    /// counter increment) is sent, marked `|@rate` so the server scales it back up. Gauges are never
    /// sampled; aggregated counters are exact and never sampled either. Default 1 (no sampling).
    public var sampleRate: Double
    /// Lines held while waiting to be sent (with ``aggregation``, also histogram values held until
    /// the next flush); beyond it new ones are dropped and counted. Default 10,000.
    public var queueCapacity: Int
    /// Aggregate in the exporter over each ``flushInterval`` before sending, as datadog-go does by
    /// default: one line per counter series with the sum of its increments, one per gauge series
    /// with its last value, and histogram values packed (DogStatsD 1.1 multi-value lines; one
    /// line per value in the etsy and Telegraf dialects, which have no multi-value form). Totals
    /// stay exact and the work per update is one short lock and an add. `false` sends a line per
    /// update, as the update happens. Default `true`.
    public var aggregation: Bool
    /// Send errors and failed host look-ups are logged the first time at once, then at most once
    /// per this interval with the number suppressed meanwhile (all are counted). Default 10 s.
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
        errorLogInterval: Duration = .seconds(10),
        aggregation: Bool = true
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
        self.aggregation = aggregation
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

    /// Accepted values of `max_packet_size` for a transport: 64 bytes up to the largest IPv4 UDP
    /// payload (65,507) for UDP, up to the default socket send buffer (212,992) for a Unix
    /// domain socket.
    public static func maxPacketSizeLimits(for transport: StatsDTransport) -> ClosedRange<Int> {
        switch transport {
        case .udp: 64...65_507
        case .unixDomainSocket: 64...212_992
        }
    }

    /// Accepted values of `flush_interval`: 10 ms to 1 hour (a shorter one wakes the sender a
    /// thousand times a second for datagrams that a 10 ms batch would have filled anyway).
    public static let flushIntervalLimits: ClosedRange<Duration> = .milliseconds(10) ... .seconds(3600)
    /// Accepted values of `queue_capacity` (lines).
    public static let queueCapacityLimits: ClosedRange<Int> = 1...10_000_000
    /// Longest Unix domain socket path in bytes (`sun_path` holds 108 with the terminating NUL).
    public static let maximumSocketPathBytes = 107

    /// Every problem of the settings, in the order of the file's keys. Cost: a few comparisons.
    func problems() -> [StatsDConfigurationError] {
        var problems: [StatsDConfigurationError] = []
        switch transport {
        case .udp:
            if host.isEmpty {
                problems.append(.emptyHost)
            } else if let reason = ConfigurationText.hostProblem(host) {
                problems.append(.invalidHost(host, reason: reason))
            }
            if !(1...65535).contains(port) { problems.append(.invalidPort(port)) }
        case .unixDomainSocket(let path):
            if path.isEmpty { problems.append(.invalidSocketPath(path, reason: "is required for the uds transport")) }
            if path.utf8.count > Self.maximumSocketPathBytes {
                problems.append(.invalidSocketPath(path, reason: "is longer than the \(Self.maximumSocketPathBytes) bytes a socket address holds"))
            }
        }
        if constantTags.keys.contains(where: \.isEmpty) { problems.append(.emptyTagKey) }
        let allowed = Self.maxPacketSizeLimits(for: transport)
        if !allowed.contains(effectiveMaxPacketSize) { problems.append(.invalidMaxPacketSize(effectiveMaxPacketSize, allowed: allowed)) }
        if !Self.flushIntervalLimits.contains(flushInterval) { problems.append(.invalidFlushInterval(flushInterval)) }
        if !(sampleRate > 0 && sampleRate <= 1) { problems.append(.invalidSampleRate(sampleRate)) }
        if !Self.queueCapacityLimits.contains(queueCapacity) { problems.append(.invalidQueueCapacity(queueCapacity)) }
        return problems
    }

    /// Every problem of the settings as configuration issues keyed by the file's names
    /// (`port`, `max_packet_size`); empty when valid. Cost: a few comparisons.
    public func validate() -> [ConfigurationIssue] { problems().map(\.issue) }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, transport
        case socketPath = "socket_path"
        case flavor, prefix, tags
        case maxPacketSize = "max_packet_size"
        case flushInterval = "flush_interval"
        case sampleRate = "sample_rate"
        case queueCapacity = "queue_capacity"
        case aggregation
    }

    /// The words of `transport`.
    enum TransportKind: ConfigurationChoice {
        case udp, uds
        static var spellings: [(name: String, value: TransportKind)] { [("udp", .udp), ("uds", .uds), ("unix", .uds)] }
    }

    /// Decodes `exporters.statsd`; absent keys keep the defaults of ``init(host:port:transport:flavour:prefix:constantTags:maxPacketSize:flushInterval:sampleRate:queueCapacity:errorLogInterval:aggregation:)``.
    /// `transport: uds` takes its path from `socket_path`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        let kind = try c.decodeChoiceIfPresent(TransportKind.self, forKey: .transport)
        let socketPath = try c.decodeIfPresent(String.self, forKey: .socketPath)
        if kind == .uds { transport = .unixDomainSocket(path: socketPath ?? "") }
        flavour = try c.decodeChoiceIfPresent(StatsDFlavour.self, forKey: .flavor) ?? flavour
        prefix = try c.decodeIfPresent(String.self, forKey: .prefix) ?? prefix
        constantTags = try c.decodeIfPresent([String: String].self, forKey: .tags) ?? constantTags
        maxPacketSize = try c.decodeIfPresent(Int.self, forKey: .maxPacketSize)
        flushInterval = try c.decodeDurationIfPresent(forKey: .flushInterval) ?? flushInterval
        sampleRate = try c.decodeIfPresent(Double.self, forKey: .sampleRate) ?? sampleRate
        queueCapacity = try c.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? queueCapacity
        aggregation = try c.decodeIfPresent(Bool.self, forKey: .aggregation) ?? aggregation
    }

    /// Writes the settings as the file spells them (`max_packet_size` as in force).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host, forKey: .host)
        try c.encode(port, forKey: .port)
        switch transport {
        case .udp:
            try c.encodeChoice(TransportKind.udp, forKey: .transport)
        case .unixDomainSocket(let path):
            try c.encodeChoice(TransportKind.uds, forKey: .transport)
            try c.encode(path, forKey: .socketPath)
        }
        try c.encodeChoice(flavour, forKey: .flavor)
        try c.encode(prefix, forKey: .prefix)
        try c.encode(constantTags, forKey: .tags)
        try c.encode(effectiveMaxPacketSize, forKey: .maxPacketSize)
        try c.encodeDuration(flushInterval, forKey: .flushInterval)
        try c.encode(sampleRate, forKey: .sampleRate)
        try c.encode(queueCapacity, forKey: .queueCapacity)
        try c.encode(aggregation, forKey: .aggregation)
    }
}

extension StatsDFlavour: ConfigurationChoice {
    package static var spellings: [(name: String, value: StatsDFlavour)] {
        [("etsy", .etsy), ("dogstatsd", .dogStatsD), ("datadog", .dogStatsD), ("telegraf", .telegraf), ("influx", .telegraf)]
    }
}

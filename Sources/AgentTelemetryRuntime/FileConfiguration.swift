/// The YAML configuration file, as written: every key optional, defaults applied by
/// `ConfigurationLoader`. Keys are snake_case; see `configs/agent-telemetry.yaml`.
public struct FileConfiguration: Codable, Sendable, Equatable {
    /// `service:` — resource attributes of this agent.
    public var service: Service?
    /// `metrics:` — namespace, limits, categories, buckets, prices.
    public var metrics: Metrics?
    /// `bus:` — event bus buffer and overflow policy.
    public var bus: Bus?
    /// `exporters:` — any number of exporters at once.
    public var exporters: Exporters?
    /// `logging:` — log level.
    public var logging: Logging?

    /// `service:`.
    public struct Service: Codable, Sendable, Equatable {
        public var name: String?
        public var version: String?
        public var instanceId: String?
        public var attributes: [String: String]?
        enum CodingKeys: String, CodingKey { case name, version, instanceId = "instance_id", attributes }
    }

    /// `metrics:`.
    public struct Metrics: Codable, Sendable, Equatable {
        public var namespace: String?
        public var cardinalityLimit: Int?
        public var categories: [String: Bool]?
        public var buckets: [String: [Double]]?
        public var prices: [String: Price]?
        public var sessionIdleTimeout: ConfigDuration?
        public var processSampler: Bool?
        enum CodingKeys: String, CodingKey {
            case namespace, cardinalityLimit = "cardinality_limit", categories, buckets, prices
            case sessionIdleTimeout = "session_idle_timeout", processSampler = "process_sampler"
        }
    }

    /// One price-table entry.
    public struct Price: Codable, Sendable, Equatable {
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        enum CodingKeys: String, CodingKey { case inputPerMillion = "input_per_million", outputPerMillion = "output_per_million" }
    }

    /// `bus:`.
    public struct Bus: Codable, Sendable, Equatable {
        public var capacity: Int?
        public var overflowPolicy: String?
        public var subscriberCapacity: Int?
        enum CodingKeys: String, CodingKey { case capacity, overflowPolicy = "overflow_policy", subscriberCapacity = "subscriber_capacity" }
    }

    /// `exporters:`.
    public struct Exporters: Codable, Sendable, Equatable {
        public var prometheus: Prometheus?
        public var otlp: OTLP?
        public var statsd: StatsD?
    }

    /// `exporters.prometheus:`.
    public struct Prometheus: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var host: String?
        public var port: Int?
        public var path: String?
        public var gzip: Bool?
        public var idleTimeout: ConfigDuration?
        public var auth: Auth?
        public var textfile: Textfile?
        enum CodingKeys: String, CodingKey { case enabled, host, port, path, gzip, idleTimeout = "idle_timeout", auth, textfile }
    }

    /// `exporters.prometheus.auth:`.
    public struct Auth: Codable, Sendable, Equatable {
        public var type: String?
        public var token: String?
        public var tokenFile: String?
        public var username: String?
        public var password: String?
        public var passwordFile: String?
        enum CodingKeys: String, CodingKey {
            case type, token, tokenFile = "token_file", username, password, passwordFile = "password_file"
        }
    }

    /// `exporters.prometheus.textfile:`.
    public struct Textfile: Codable, Sendable, Equatable {
        public var path: String?
        public var interval: ConfigDuration?
    }

    /// `exporters.otlp:`.
    public struct OTLP: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var endpoint: String?
        public var metricsEndpoint: String?
        public var headers: [String: String]?
        public var headersFile: String?
        public var interval: ConfigDuration?
        public var temporality: String?
        public var compression: String?
        public var timeout: ConfigDuration?
        public var maxDataPointsPerRequest: Int?
        enum CodingKeys: String, CodingKey {
            case enabled, endpoint, metricsEndpoint = "metrics_endpoint", headers, headersFile = "headers_file", interval
            case temporality, compression, timeout, maxDataPointsPerRequest = "max_data_points_per_request"
        }
    }

    /// `exporters.statsd:`.
    public struct StatsD: Codable, Sendable, Equatable {
        public var enabled: Bool?
        public var host: String?
        public var port: Int?
        public var transport: String?
        public var socketPath: String?
        public var flavor: String?
        public var prefix: String?
        public var tags: [String: String]?
        public var maxPacketSize: Int?
        public var flushInterval: ConfigDuration?
        public var sampleRate: Double?
        public var queueCapacity: Int?
        enum CodingKeys: String, CodingKey {
            case enabled, host, port, transport, socketPath = "socket_path", flavor, prefix, tags
            case maxPacketSize = "max_packet_size", flushInterval = "flush_interval", sampleRate = "sample_rate"
            case queueCapacity = "queue_capacity"
        }
    }

    /// `logging:`.
    public struct Logging: Codable, Sendable, Equatable {
        public var level: String?
    }

    /// Creates an empty configuration (all defaults).
    public init() {}
}

import AgentTelemetry
import AgentTelemetryTLS

/// TLS for the `/metrics` endpoint: `exporters.prometheus.tls` in the configuration file
/// (`cert_file`, `key_file`, `client_ca_file`, `client_auth`, `min_version`, `reload_interval`).
///
/// Without this section the endpoint speaks plain HTTP. With it, every connection is TLS; with
/// `client_auth: require` a client must present a certificate issued by a CA of
/// `client_ca_file` (mutual TLS), else the handshake fails and the connection is closed.
///
/// The files are read when the endpoint starts and again whenever one of them changes on disk
/// (checked every `reload_interval`, or on ``PrometheusExporter/reloadCertificatesIfChanged()``),
/// so a rotated certificate is served without a restart. Only paths are ever printed or logged.
public struct PrometheusTLSConfiguration: Sendable, Hashable, Codable {
    /// Whether the endpoint asks clients for a certificate.
    public enum ClientAuthentication: Sendable, Hashable, ConfigurationChoice {
        /// No client certificate is asked for (server-side TLS only).
        case none
        /// A client certificate signed by a CA of `client_ca_file` is required.
        case require

        package static var spellings: [(name: String, value: ClientAuthentication)] { [("none", .none), ("require", .require)] }
    }

    /// The oldest TLS version accepted.
    public enum MinimumVersion: Sendable, Hashable, ConfigurationChoice {
        /// TLS 1.2 (the default).
        case tls12
        /// TLS 1.3.
        case tls13

        package static var spellings: [(name: String, value: MinimumVersion)] { [("1.2", .tls12), ("1.3", .tls13)] }
    }

    /// PEM file with the server certificate, optionally followed by its intermediate CAs.
    public var certificateFile: String
    /// PEM file with the certificate's private key (unencrypted).
    public var keyFile: String
    /// PEM file with the CA certificates that client certificates must chain to.
    public var clientCAFile: String?
    /// Whether a client certificate is required. Default: `require` when `client_ca_file` is
    /// set, else `none`.
    public var clientAuthentication: ClientAuthentication
    /// The oldest TLS version accepted (default 1.2).
    public var minimumVersion: MinimumVersion
    /// How often the files are checked for changes (one `stat` per file); default 30 s.
    public var reloadInterval: Duration

    /// Accepted values of `reload_interval`: 100 ms to 1 day (each check reads the files' status).
    public static let reloadIntervalLimits: ClosedRange<Duration> = .milliseconds(100) ... .seconds(86_400)

    /// Creates a TLS configuration.
    public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil,
                clientAuthentication: ClientAuthentication? = nil, minimumVersion: MinimumVersion = .tls12,
                reloadInterval: Duration = .seconds(30)) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.clientAuthentication = clientAuthentication ?? (clientCAFile == nil ? .none : .require)
        self.minimumVersion = minimumVersion
        self.reloadInterval = reloadInterval
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case certFile = "cert_file"
        case keyFile = "key_file"
        case clientCAFile = "client_ca_file"
        case clientAuth = "client_auth"
        case minVersion = "min_version"
        case reloadInterval = "reload_interval"
    }

    /// Decodes `tls:`. Missing files are reported by ``validate()``, not here, so that every
    /// problem of the section is listed at once.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let clientCA = try c.decodeIfPresent(String.self, forKey: .clientCAFile)
        self.init(certificateFile: try c.decodeIfPresent(String.self, forKey: .certFile) ?? "",
                  keyFile: try c.decodeIfPresent(String.self, forKey: .keyFile) ?? "",
                  clientCAFile: clientCA.flatMap { $0.isEmpty ? nil : $0 },
                  clientAuthentication: try c.decodeChoiceIfPresent(ClientAuthentication.self, forKey: .clientAuth),
                  minimumVersion: try c.decodeChoiceIfPresent(MinimumVersion.self, forKey: .minVersion) ?? .tls12,
                  reloadInterval: try c.decodeDurationIfPresent(forKey: .reloadInterval) ?? .seconds(30))
    }

    /// Writes the section as the file spells it: paths only, never file contents.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(certificateFile, forKey: .certFile)
        try c.encode(keyFile, forKey: .keyFile)
        try c.encodeIfPresent(clientCAFile, forKey: .clientCAFile)
        try c.encodeChoice(clientAuthentication, forKey: .clientAuth)
        try c.encodeChoice(minimumVersion, forKey: .minVersion)
        try c.encodeDuration(reloadInterval, forKey: .reloadInterval)
    }

    /// Every problem, keyed relative to `tls` (`cert_file`, `key_file`, `client_ca_file`, …):
    /// missing or unreadable files, a file without a certificate or key, a key that is not the
    /// certificate's, `client_auth: require` without a CA file. Cost: reads and parses the files
    /// and builds one TLS context.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if certificateFile.isEmpty { issues.append(ConfigurationIssue(["cert_file"], "is required when tls is set")) }
        if keyFile.isEmpty { issues.append(ConfigurationIssue(["key_file"], "is required when tls is set")) }
        if !certificateFile.isEmpty && !keyFile.isEmpty {
            if case .failure(let problems) = TLSFiles.identity(certificatePath: certificateFile, keyPath: keyFile,
                                                                certificateKey: ["cert_file"], keyKey: ["key_file"]) {
                issues += problems.issues
            }
        }
        switch (clientAuthentication, clientCAFile) {
        case (.require, nil):
            issues.append(ConfigurationIssue(["client_ca_file"], "is required with client_auth: require (the CA that client certificates must chain to)"))
        case (_, let path?):
            if case .failure(let problems) = TLSFiles.authorities(at: path, key: ["client_ca_file"]) { issues += problems.issues }
        default:
            break
        }
        if let issue = ConfigurationIssue.outOfRange(["reload_interval"], reloadInterval, limits: Self.reloadIntervalLimits) { issues.append(issue) }
        return issues
    }

    /// The files read, in a fixed order (for change detection).
    var files: [String] { [certificateFile, keyFile] + (clientCAFile.map { [$0] } ?? []) }
}

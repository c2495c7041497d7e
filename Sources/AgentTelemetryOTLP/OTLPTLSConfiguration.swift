import AgentTelemetry
import AgentTelemetryTLS
import NIOSSL

/// TLS settings of the OTLP exporter's own HTTP client: `exporters.otlp.tls` in the
/// configuration file (`ca_file`, `cert_file`, `key_file`, `insecure_skip_verify`), also set by
/// `OTEL_EXPORTER_OTLP_[METRICS_]CERTIFICATE`, `…_CLIENT_CERTIFICATE` and `…_CLIENT_KEY`.
///
/// They apply to `https` endpoints. Without a `ca_file` the system trust store verifies the
/// collector; with one, only the CAs of that file do (a private CA). `cert_file` and `key_file`
/// together present a client certificate (mutual TLS). The files are read and checked by
/// `validate()` (so `check-config` rejects an unreadable file or a key that is not the
/// certificate's) and read again when the exporter is created; only paths are ever printed.
public struct OTLPTLSConfiguration: Sendable, Hashable, Codable {
    /// PEM file of the CA certificates that verify the collector (replaces the system trust store).
    public var caFile: String?
    /// PEM file of the client certificate (and its chain) for mutual TLS.
    public var certificateFile: String?
    /// PEM file of the client certificate's private key (unencrypted).
    public var keyFile: String?
    /// Do not verify the collector's certificate at all. For a lab only: anyone on the path can
    /// read and change the exports. A warning is logged once when the exporter is created.
    public var insecureSkipVerify: Bool

    /// Creates TLS settings; all empty means the system trust store and no client certificate.
    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, insecureSkipVerify: Bool = false) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.insecureSkipVerify = insecureSkipVerify
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case caFile = "ca_file"
        case certFile = "cert_file"
        case keyFile = "key_file"
        case insecureSkipVerify = "insecure_skip_verify"
    }

    /// Decodes `tls:`; an empty path counts as absent (as an empty OTEL variable does).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func path(_ key: CodingKeys) throws -> String? {
            try c.decodeIfPresent(String.self, forKey: key).flatMap { $0.isEmpty ? nil : $0 }
        }
        self.init(caFile: try path(.caFile), certificateFile: try path(.certFile), keyFile: try path(.keyFile),
                  insecureSkipVerify: try c.decodeIfPresent(Bool.self, forKey: .insecureSkipVerify) ?? false)
    }

    /// Writes the paths and the flag; never file contents.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(caFile, forKey: .caFile)
        try c.encodeIfPresent(certificateFile, forKey: .certFile)
        try c.encodeIfPresent(keyFile, forKey: .keyFile)
        try c.encode(insecureSkipVerify, forKey: .insecureSkipVerify)
    }

    /// Whether any setting differs from the default (system trust store, no client certificate).
    public var isCustomised: Bool { caFile != nil || certificateFile != nil || keyFile != nil || insecureSkipVerify }

    /// Every problem, keyed relative to `tls`: a certificate without a key or the reverse, an
    /// unreadable file, a file without a certificate or key, a key that is not the
    /// certificate's. Cost: reads and parses the files, builds one TLS context for the pair check.
    public func validate() -> [ConfigurationIssue] {
        switch loaded() {
        case .success: []
        case .failure(let issues): issues.issues
        }
    }

    /// The NIOSSL client configuration these settings describe, the files loaded and checked.
    func loaded() -> Result<TLSConfiguration, ConfigurationIssues> {
        var issues: [ConfigurationIssue] = []
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            switch TLSFiles.authorities(at: caFile, key: ["ca_file"]) {
            case .success(let roots): tls.trustRoots = .certificates(roots)
            case .failure(let problems): issues += problems.issues
            }
        }
        switch (certificateFile, keyFile) {
        case (let cert?, let key?):
            switch TLSFiles.identity(certificatePath: cert, keyPath: key, certificateKey: ["cert_file"], keyKey: ["key_file"]) {
            case .success(let identity):
                tls.certificateChain = identity.chain.map { .certificate($0) }
                tls.privateKey = .privateKey(identity.key)
            case .failure(let problems):
                issues += problems.issues
            }
        case (_?, nil):
            issues.append(ConfigurationIssue(["key_file"], "is required with cert_file (the client certificate's private key)"))
        case (nil, _?):
            issues.append(ConfigurationIssue(["cert_file"], "is required with key_file (the client certificate)"))
        case (nil, nil):
            break
        }
        if insecureSkipVerify { tls.certificateVerification = .none }
        return issues.isEmpty ? .success(tls) : .failure(ConfigurationIssues(issues))
    }
}

import AgentTelemetry

/// The parts of an OTLP/HTTP URL the exporter checks: scheme, host and path.
struct OTLPEndpoint: Sendable, Equatable {
    /// `http` or `https`, lowercased.
    var scheme: String
    /// Host, possibly with a port.
    var authority: String
    /// Path, starting with `/` (possibly just `/`), query included.
    var path: String

    /// Parses an absolute `http`/`https` URL; throws when it is not one. The error carries the
    /// URL with any credentials masked, and a reason that never repeats a part of the URL.
    init(parsing url: String) throws(OTLPConfigurationError) {
        func invalid(_ reason: String) -> OTLPConfigurationError {
            .invalidEndpoint(ConfigurationText.maskingCredentials(in: url, isURL: true), reason: reason)
        }
        guard let sep = url.firstRange(of: "://") else {
            if url.contains("@") { throw invalid(Self.credentialsReason) }
            throw invalid("has no scheme (http:// or https://)")
        }
        let scheme = url[..<sep.lowerBound].lowercased()
        let rest = url[sep.upperBound...]
        let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = String(rest[..<slash])
        guard !authority.contains("@") else { throw invalid(Self.credentialsReason) }
        guard scheme == "http" || scheme == "https" else { throw invalid("must use http or https") }
        guard !authority.isEmpty, !authority.hasPrefix(":") else { throw invalid("has no host") }
        guard !authority.contains(where: { $0 == " " || $0 == "\t" }) else { throw invalid("has a space in its host") }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard let n = Int(port), (1...65535).contains(n) else { throw invalid("has a port that is not a number from 1 to 65535") }
        }
        let path = rest[slash...]
        guard !path.contains(" ") else { throw invalid("has a space in its path") }
        guard !path.hasPrefix("?"), !path.hasPrefix("#") else { throw invalid("has a query or fragment but no path") }
        self.scheme = scheme
        self.authority = authority
        self.path = path.isEmpty ? "/" : String(path)
    }

    /// Credentials in the URL are refused rather than ignored: the HTTP client would not send them.
    static let credentialsReason = "has credentials before the host, which would not be sent; put them in headers (e.g. Authorization) or headers_file"

    /// The URL as a string.
    var url: String { "\(scheme)://\(authority)\(path)" }

    /// The metrics URL for a base endpoint: the path with `v1/metrics` appended (one slash between).
    var appendingMetricsPath: OTLPEndpoint {
        var copy = self
        copy.path = path.hasSuffix("/") ? path + "v1/metrics" : path + "/v1/metrics"
        return copy
    }
}

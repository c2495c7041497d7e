/// The parts of an OTLP/HTTP URL the exporter checks: scheme, host and path.
struct OTLPEndpoint: Sendable, Equatable {
    /// `http` or `https`, lowercased.
    var scheme: String
    /// Host, possibly with a port.
    var authority: String
    /// Path, starting with `/` (possibly just `/`), query included.
    var path: String

    /// Parses an absolute `http`/`https` URL; throws when it is not one.
    init(parsing url: String) throws(OTLPConfigurationError) {
        guard let sep = url.firstRange(of: "://") else {
            throw .invalidEndpoint(url, reason: "no scheme (http:// or https://)")
        }
        let scheme = url[..<sep.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw .invalidEndpoint(url, reason: "scheme \"\(scheme)\" is not http or https")
        }
        let rest = url[sep.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        guard !authority.isEmpty, !authority.hasPrefix(":") else {
            throw .invalidEndpoint(url, reason: "no host")
        }
        guard !authority.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }) else {
            throw .invalidEndpoint(url, reason: "host contains a space, ? or #")
        }
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard let n = Int(port), (1...65535).contains(n) else {
                throw .invalidEndpoint(url, reason: "port \"\(port)\" is not a number from 1 to 65535")
            }
        }
        let path = rest[slash...]
        guard !path.contains(" ") else { throw .invalidEndpoint(url, reason: "path contains a space") }
        self.scheme = scheme
        self.authority = authority
        self.path = path.isEmpty ? "/" : String(path)
    }

    /// The URL as a string.
    var url: String { "\(scheme)://\(authority)\(path)" }

    /// The metrics URL for a base endpoint: the path with `v1/metrics` appended (one slash between).
    var appendingMetricsPath: OTLPEndpoint {
        var copy = self
        copy.path = path.hasSuffix("/") ? path + "v1/metrics" : path + "/v1/metrics"
        return copy
    }
}

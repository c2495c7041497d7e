import AgentTelemetry

/// Keeps credentials out of log lines and errors: a URL's user info and query, and the values of
/// the configured headers wherever a collector echoes them (response bodies, partial-success
/// messages).
struct OTLPRedaction: Sendable {
    /// Texts that must never be printed: header values and the endpoint's query values.
    private let secrets: [String]

    /// Secrets shorter than this are not scrubbed from text (they would mangle ordinary words);
    /// they still never appear in what the exporter itself writes.
    static let minimumSecretLength = 4

    init(headers: [String: String], url: String) {
        var secrets = headers.values.filter { $0.count >= Self.minimumSecretLength }
        if let query = url.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "#", maxSplits: 1)[0].split(separator: "&") {
                let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? String(pair)
                if value.count >= Self.minimumSecretLength { secrets.append(value) }
            }
        }
        // Longest first, so that a secret containing another is replaced whole.
        self.secrets = secrets.sorted { $0.count > $1.count }
    }

    /// `text` with every secret replaced by `***`.
    func scrub(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacing(secret, with: ConfigurationText.mask)
        }
        return out
    }

    /// A URL fit for a log line: user info and query replaced by `***`, fragment dropped
    /// (`https://***@host/v1/metrics?***`). Works on relative references (a `Location`) too.
    static func url(_ url: String) -> String {
        var text = Substring(url)
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        var masked = ConfigurationText.maskingCredentials(in: String(text))
        if let question = masked.firstIndex(of: "?") {
            masked = String(masked[..<question]) + "?" + ConfigurationText.mask
        }
        return masked
    }
}

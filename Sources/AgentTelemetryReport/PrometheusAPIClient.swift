import Foundation

/// A client of the Prometheus HTTP API: instant and range queries and the alerts it fires.
/// Each call is one GET with AsyncHTTPClient's shared client.
package struct PrometheusAPIClient: ReportAlertSource {
    /// The server's base URL, e.g. `http://127.0.0.1:9090`.
    package let baseURL: String

    /// Creates a client for `baseURL` (a trailing slash is ignored).
    package init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// One series of an instant vector: labels and value.
    package struct Sample: Sendable, Equatable {
        /// The series labels.
        package var labels: [String: String]
        /// The value (NaN and ±Inf as Prometheus wrote them).
        package var value: Double
    }

    /// `/api/v1/query` at `time`.
    package func query(_ promQL: String, at time: Date) async throws -> [Sample] {
        let data = try await call("/api/v1/query", ["query": promQL, "time": Self.timestamp(time)])
        guard let result = data["result"] as? [[String: Any]] else { return [] }
        return result.compactMap { item in
            guard let value = item["value"] as? [Any], value.count == 2, let text = value[1] as? String,
                  let number = Self.number(text) else { return nil }
            return Sample(labels: item["metric"] as? [String: String] ?? [:], value: number)
        }
    }

    /// `/api/v1/query_range` from `start` to `end` every `step` seconds; each series' labels and values.
    package func queryRange(_ promQL: String, start: Date, end: Date, step: Int) async throws -> [(labels: [String: String], values: [Double])] {
        let data = try await call("/api/v1/query_range", [
            "query": promQL, "start": Self.timestamp(start), "end": Self.timestamp(end), "step": String(max(1, step)),
        ])
        guard let result = data["result"] as? [[String: Any]] else { return [] }
        return result.map { item in
            let values = (item["values"] as? [[Any]] ?? []).compactMap { pair -> Double? in
                guard pair.count == 2, let text = pair[1] as? String else { return nil }
                return Self.number(text)
            }
            return (item["metric"] as? [String: String] ?? [:], values)
        }
    }

    /// `/api/v1/alerts`, keeping the firing ones.
    package func firingAlerts() async throws -> [ReportAlert] {
        let data = try await call("/api/v1/alerts", [:])
        let alerts = data["alerts"] as? [[String: Any]] ?? []
        return alerts.compactMap { alert in
            guard alert["state"] as? String == "firing" else { return nil }
            let labels = alert["labels"] as? [String: String] ?? [:]
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            return ReportAlert(
                name: labels["alertname"] ?? "", severity: labels["severity"], state: "firing",
                activeSince: (alert["activeAt"] as? String).flatMap(Self.parseDate), summary: annotations["summary"],
                source: "prometheus", labels: labels)
        }
    }

    func call(_ path: String, _ parameters: [String: String]) async throws -> [String: Any] {
        guard var components = URLComponents(string: baseURL + path) else {
            throw ReportError.unreachable(url: baseURL, reason: "not a valid URL")
        }
        if !parameters.isEmpty {
            components.queryItems = parameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        // `+` is a space in a query string; PromQL needs it literally.
        let query = components.percentEncodedQuery
        components.percentEncodedQuery = query?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.url?.absoluteString else {
            throw ReportError.unreachable(url: baseURL, reason: "not a valid URL")
        }
        let body = try await HTTPFetcher.get(url)
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw ReportError.prometheusAPI(url: baseURL, message: "the answer is not JSON; is this a Prometheus server?")
        }
        guard json["status"] as? String == "success" else {
            throw ReportError.prometheusAPI(url: baseURL, message: json["error"] as? String ?? "unknown error")
        }
        return json["data"] as? [String: Any] ?? [:]
    }

    static func timestamp(_ date: Date) -> String { String(format: "%.3f", date.timeIntervalSince1970) }

    static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        // Prometheus writes nanoseconds; trim the fraction when the formatter refuses it.
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            return formatter.date(from: String(text[..<dot]) + String(text[zone...]))
        }
        return formatter.date(from: text)
    }
}

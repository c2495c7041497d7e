import Foundation

/// Reads the active alerts of an Alertmanager (`/api/v2/alerts`).
package struct AlertmanagerClient: ReportAlertSource {
    /// The Alertmanager base URL, e.g. `http://127.0.0.1:9093`.
    package let baseURL: String

    /// Creates a client for `baseURL`.
    package init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    }

    /// The active (not silenced, not inhibited) alerts. One GET.
    package func firingAlerts() async throws -> [ReportAlert] {
        let body = try await HTTPFetcher.get(baseURL + "/api/v2/alerts?active=true&silenced=false&inhibited=false")
        guard let alerts = try? JSONSerialization.jsonObject(with: body) as? [[String: Any]] else {
            throw ReportError.prometheusAPI(url: baseURL, message: "the answer is not an Alertmanager alert list")
        }
        return alerts.compactMap { alert in
            let state = (alert["status"] as? [String: Any])?["state"] as? String ?? "active"
            guard state == "active" else { return nil }
            let labels = alert["labels"] as? [String: String] ?? [:]
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            return ReportAlert(
                name: labels["alertname"] ?? "", severity: labels["severity"], state: state,
                activeSince: (alert["startsAt"] as? String).flatMap(PrometheusAPIClient.parseDate),
                summary: annotations["summary"], source: "alertmanager", labels: labels)
        }
    }
}

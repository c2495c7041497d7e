import AgentTelemetry
import Foundation

/// Writes one JSON object per line for every event it receives: an audit trail next to the metrics.
public struct JSONLinesAuditLog: TelemetrySubscriber {
    public let name = "jsonl_audit_log"
    let handle: FileHandle

    /// Creates a log writing to `handle`.
    public init(handle: FileHandle) { self.handle = handle }

    public func handle(_ event: any TelemetryEvent) async throws {
        var fields: [String: String] = ["event": type(of: event).eventName,
                                        "time": String(event.timestamp.secondsSinceEpoch)]
        if let alert = event as? BudgetExceeded {
            fields["budget"] = alert.budget
            fields["subject"] = alert.subject
            fields["unit"] = alert.unit.rawValue
            fields["spent"] = String(alert.spent)
            fields["limit"] = String(alert.limit)
        }
        let data = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
        handle.write(data + Data("\n".utf8))
    }
}

import AgentTelemetry
import Foundation
import Synchronization

/// `subscribers.audit_log`: appends chosen events to a file, one JSON object per line, as an audit
/// trail (`{"event":"tool_executed","time":"2026-12-07T07:10:00.123Z","fields":{"tool":"search",...}}`).
///
/// ```yaml
/// subscribers:
///   audit_log:
///     path: /var/log/agent/audit.jsonl
///     events: [tool_executed, authorization_check]   # absent or empty: every event
/// ```
public struct JSONLinesAuditSubscriberKind: TelemetrySubscriberKind {
    /// `subscribers.audit_log`.
    public struct Configuration: TelemetryConfigurationSection, Encodable, Equatable {
        /// The file lines are appended to; created when absent.
        public var path: String
        /// The event names written (`tool_executed`); empty writes every event.
        public var events: [String]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case path, events
        }

        /// Settings.
        public init(path: String = "", events: [String] = []) {
            self.path = path
            self.events = events
        }

        /// Decodes the section.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decodeIfPresent(String.self, forKey: .path) ?? ""
            events = try c.decodeIfPresent([String].self, forKey: .events) ?? []
        }

        /// Writes the section.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(events, forKey: .events)
        }

        /// `path` is required and its directory must exist; event names are snake_case words.
        public func validate() -> [ConfigurationIssue] {
            var issues: [ConfigurationIssue] = []
            if path.isEmpty {
                issues.append(ConfigurationIssue(["path"], "is required: the file the audit lines are appended to"))
            } else {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
                var isDirectory: ObjCBool = false
                if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                    issues.append(ConfigurationIssue(["path"], "the directory \(directory) does not exist"))
                }
            }
            for (i, name) in events.enumerated() where name.isEmpty || !name.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) {
                issues.append(ConfigurationIssue(["events"], "item \(i + 1): \(ConfigurationText.quotedForMessage(name)) is not an event name (snake_case, e.g. tool_executed)"))
            }
            return issues
        }
    }

    /// Creates the kind.
    public init() {}
    /// `audit_log`.
    public var key: String { "audit_log" }

    /// Opens the file for appending (throws when it cannot be opened).
    public func makeSubscriber(configuration: Configuration, context: SubscriberContext) throws -> (any TelemetrySubscriber, EventFilter) {
        (try JSONLinesAuditSubscriber(path: configuration.path, events: Set(configuration.events)), .all)
    }
}

/// Appends events to a file as JSON Lines. Each line is written with one `write` to a file opened
/// for appending, so lines of concurrent writers never interleave mid-line. A failed write throws:
/// the bus counts it (`agent_telemetry_subscriber_errors_total`), logs it rate-limited, and the
/// subscriber keeps receiving.
public final class JSONLinesAuditSubscriber: TelemetrySubscriber {
    /// `audit_log`.
    public let name = "audit_log"
    private let events: Set<String>
    private let file: Mutex<FileHandle>

    /// Opens (or creates) `path` for appending. `events` empty writes every event.
    public init(path: String, events: Set<String>) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ConfigurationIssues([ConfigurationIssue(["path"], "cannot create \(path)")])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        self.events = events
        self.file = Mutex(handle)
    }

    deinit { file.withLock { try? $0.close() } }

    /// Writes `event` as one line when its name is chosen. Cost: one reflection of the event's
    /// stored properties and one JSON serialisation.
    public func handle(_ event: any TelemetryEvent) async throws {
        guard events.isEmpty || events.contains(event.eventName) else { return }
        var line = try Self.line(for: event)
        line.append(0x0A)
        try file.withLock { try $0.write(contentsOf: line) }
    }

    /// The JSON object of `event`: its name, its time (RFC 3339, UTC) and its stored properties
    /// (numbers and booleans as such, the rest as text, absent optionals left out).
    static func line(for event: any TelemetryEvent) throws -> Data {
        var fields: [String: Any] = [:]
        for child in Mirror(reflecting: event).children {
            guard let label = child.label, label != "timestamp", label != "trace", let value = jsonValue(child.value) else { continue }
            fields[label] = value
        }
        let time = Date(timeIntervalSince1970: event.timestamp.secondsSinceEpoch)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let object: [String: Any] = ["event": event.eventName, "time": formatter.string(from: time), "fields": fields]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func jsonValue(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return jsonValue(wrapped)
        }
        switch value {
        case let b as Bool: return b
        case let i as Int: return i
        case let d as Double: return d.isFinite ? d : String(describing: d)
        case let s as String: return s
        case let d as Duration:
            let (seconds, attoseconds) = d.components
            return Double(seconds) + Double(attoseconds) / 1e18
        default: return String(describing: value)
        }
    }
}

import Logging
import Synchronization

/// A log handler that keeps every record, so a test can read what a user's log would show.
public final class LogCapture: Sendable {
    /// An empty capture.
    public init() {}

    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: [String: String]
        public var time: ContinuousClock.Instant

        /// The message and metadata as one line, as a text log handler would print it.
        public var line: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let storage = Mutex<[Record]>([])

    /// A logger writing into this capture at `level` and above.
    public func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Every record so far.
    public var records: [Record] { storage.withLock { $0 } }

    /// Records at warning level or above.
    public var warnings: [Record] { records.filter { $0.level >= .warning } }

    /// Every line, all levels.
    public var text: String { records.map(\.line).joined(separator: "\n") }

    fileprivate func append(_ record: Record) { storage.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all: [String: String] = [:]
            for (k, v) in metadata { all[k] = "\(v)" }
            for (k, v) in event.metadata ?? [:] { all[k] = "\(v)" }
            capture.append(Record(level: event.level, message: "\(event.message)", metadata: all, time: .now))
        }
    }
}

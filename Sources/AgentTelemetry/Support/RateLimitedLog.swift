import Logging
import Synchronization

/// Keeps repeated warnings from flooding the host's log; one mechanism for every exporter.
///
/// Each kind of message is logged the first time at once; after that at most once per
/// `interval`, and that report says how many similar messages were suppressed since the previous
/// one. Suppressed messages still go to the logger at debug level, so nothing is invisible to
/// someone who asks for it. Cost per message: one short lock and a dictionary update.
package final class RateLimitedLog<Kind: Hashable & Sendable>: Sendable {
    private struct Entry {
        var lastReport: ContinuousClock.Instant
        var suppressed: Int
    }

    /// The shortest time between two reports of one kind.
    package let interval: Duration
    private let entries = Mutex<[Kind: Entry]>([:])

    package init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a message of `kind` at `now` is reported: `nil` when it is suppressed, else the
    /// number of messages of that kind suppressed since the previous report.
    package func admit(_ kind: Kind, now: ContinuousClock.Instant = .now) -> Int? {
        entries.withLock { entries in
            if var entry = entries[kind], entry.lastReport.duration(to: now) < interval {
                entry.suppressed += 1
                entries[kind] = entry
                return nil
            }
            let suppressed = entries[kind]?.suppressed ?? 0
            entries[kind] = Entry(lastReport: now, suppressed: 0)
            return suppressed
        }
    }

    /// Logs `message` at `level` when `kind` is admitted (with the suppressed count in the text
    /// and as `suppressed` metadata), else at debug level.
    package func log(_ kind: Kind, _ logger: Logger, level: Logger.Level, _ message: String,
                     metadata: Logger.Metadata = [:]) {
        guard let suppressed = admit(kind) else {
            logger.debug("\(message) (repeated; reported at most once per \(interval.spelled))", metadata: metadata)
            return
        }
        var metadata = metadata
        var text = message
        if suppressed > 0 {
            metadata["suppressed"] = "\(suppressed)"
            text += " (\(suppressed) similar since the last report; reported at most once per \(interval.spelled))"
        }
        logger.log(level: level, "\(text)", metadata: metadata)
    }
}

extension Duration {
    /// The duration as the configuration file writes it, rounded to milliseconds (`300ms`,
    /// `2s`, `5m`), for messages.
    package var spelled: String {
        let c = components
        return ConfigDuration(.milliseconds(c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000)).description
    }
}

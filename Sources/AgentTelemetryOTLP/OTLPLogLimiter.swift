import Logging
import Synchronization

/// Keeps repeated warnings from flooding the host's log.
///
/// Each kind of message is logged the first time at once; after that at most once per
/// `interval`, and that report says how many similar messages were suppressed since the previous
/// one. Suppressed messages still go to the logger at debug level, so nothing is invisible to
/// someone who asks for it. Cost per message: one short lock and a dictionary update.
final class OTLPLogLimiter: Sendable {
    /// What a message is about; each kind is limited on its own.
    enum Kind: Hashable, Sendable {
        /// A request or an export that did not reach the collector (connection errors,
        /// retryable statuses, exports given up).
        case delivery
        /// The collector accepted a request but rejected some of its points.
        case partialSuccess
        /// The collector refused a request with this status (not retried).
        case refused(Int)
        /// The collector answered with a redirect, which is never followed.
        case redirect
        /// The collector asked to wait (`Retry-After`) longer than the export timeout.
        case retryAfter
    }

    private struct Entry {
        var lastReport: ContinuousClock.Instant
        var suppressed: Int
    }

    /// The shortest time between two reports of one kind.
    let interval: Duration
    private let entries = Mutex<[Kind: Entry]>([:])

    init(interval: Duration) {
        self.interval = interval
    }

    /// Whether a message of `kind` at `now` is reported: `nil` when it is suppressed, else the
    /// number of messages of that kind suppressed since the previous report.
    func admit(_ kind: Kind, now: ContinuousClock.Instant = .now) -> Int? {
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
    func log(_ kind: Kind, _ logger: Logger, level: Logger.Level, _ message: String,
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

import AsyncHTTPClient
import CompressNIO
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import AgentTelemetry

/// Posts one encoded request to the collector, retrying what the OTLP spec calls retryable.
///
/// Retryable: HTTP 429, 502, 503, 504 and connection-level errors. The wait is the `Retry-After`
/// header when present (capped by `maxRetryAfter`), else exponential backoff
/// (`initialBackoff · 2ⁿ`, capped at `maxBackoff`) with equal jitter. Nothing is attempted past
/// the deadline. A `Retry-After` holds beyond the export it came in: until it has passed,
/// `send` makes no request (see ``pauseRemaining()``). A redirect (3xx) is never followed and
/// any other non-2xx status is final. Every repeated warning goes through the log limiter, and
/// no log line carries a header value or the URL's user info or query.
final class OTLPHTTPSender: Sendable {
    private let url: String
    private let maskedURL: String
    private let authority: String
    private let headers: HTTPHeaders
    private let compression: OTLPCompression
    private let initialBackoff: Duration
    private let maxBackoff: Duration
    private let maxRetryAfter: Duration
    private let connectTimeout: Duration
    private let health: OTLPExporterHealth
    private let logger: Logger
    private let limiter: OTLPLogLimiter
    private let redaction: OTLPRedaction
    /// The collector asked for nothing to be sent before this instant (`Retry-After`).
    private let pausedUntil = Mutex<ContinuousClock.Instant?>(nil)

    /// What the collector said about an accepted request.
    struct Accepted: Sendable {
        var partialSuccess: OTLPPartialSuccess?
        var attempts: Int
    }

    init(url: String, configuration c: OTLPExporterConfiguration, health: OTLPExporterHealth,
         logger: Logger, limiter: OTLPLogLimiter, redaction: OTLPRedaction) {
        self.url = url
        self.maskedURL = OTLPRedaction.url(url)
        self.authority = (try? OTLPEndpoint(parsing: url).authority) ?? "the collector"
        var h = HTTPHeaders()
        for (name, value) in c.headers.sorted(by: { $0.key < $1.key }) { h.add(name: name, value: value) }
        h.replaceOrAdd(name: "Content-Type", value: "application/x-protobuf")
        if c.compression == .gzip { h.replaceOrAdd(name: "Content-Encoding", value: "gzip") }
        h.replaceOrAdd(name: "User-Agent", value: "agent-telemetry-otlp/\(OTLPExporterConfiguration.sdkVersion)")
        self.headers = h
        self.compression = c.compression
        self.initialBackoff = c.initialBackoff
        self.maxBackoff = c.maxBackoff
        self.maxRetryAfter = c.maxRetryAfter
        self.connectTimeout = c.connectTimeout
        self.health = health
        self.logger = logger
        self.limiter = limiter
        self.redaction = redaction
    }

    /// How much of a collector's `Retry-After` is left; `nil` when none is pending.
    func pauseRemaining(now: ContinuousClock.Instant = .now) -> Duration? {
        pausedUntil.withLock { until in
            guard let end = until else { return nil }
            guard now < end else {
                until = nil
                return nil
            }
            return now.duration(to: end)
        }
    }

    /// Sends `body` with `client` until it is accepted, refused, or `deadline` passes.
    ///
    /// With `honouringPause` (every export but the final one) nothing is sent while a
    /// `Retry-After` is pending: the result is ``OTLPExportError/waitingForRetryAfter(remaining:)``.
    func send(_ body: [UInt8], client: HTTPClient, deadline: ContinuousClock.Instant,
              honouringPause: Bool = true) async -> Result<Accepted, OTLPExportError> {
        if honouringPause, let remaining = pauseRemaining() {
            return .failure(.waitingForRetryAfter(remaining: remaining))
        }
        var buffer = ByteBuffer(bytes: body)
        if compression == .gzip {
            do { buffer = try buffer.compress(with: OTLPCompression.gzipAlgorithm) } catch {
                health.failed()
                return .failure(.compressionFailed("\(error)"))
            }
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(buffer)

        var attempt = 0
        var lastProblem = "no attempt made before the deadline"
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .milliseconds(1) else { break }
            if Task.isCancelled { health.failed(); return .failure(.cancelled) }
            attempt += 1
            health.sent(bytes: buffer.readableBytes)
            var retryAfter: (asked: Duration, honoured: Duration)?
            do {
                // The whole exchange (connect, request, response head and every byte of the body)
                // is bounded by the export's deadline: a collector that answers a head and then
                // stalls cannot hold the export, or a stop, past its timeout.
                let response = try await Self.exchange(request, client: client, deadline: deadline)
                let status = response.status
                if (200..<300).contains(status) {
                    health.succeeded(atNanoseconds: WallClock.nowNanoseconds())
                    return .success(Accepted(partialSuccess: OTLPPartialSuccess.parse(response: response.body), attempts: attempt))
                }
                if (300..<400).contains(status) {
                    health.failed()
                    let location = response.headers.first(name: "Location").map { LogText.escaped(OTLPRedaction.url($0)) } ?? ""
                    reportRedirect(status: status, location: location)
                    return .failure(.redirected(status: status, location: location))
                }
                let excerpt = Self.excerpt(Array(redaction.scrub(String(decoding: response.body.prefix(4096), as: UTF8.self)).utf8))
                guard [429, 502, 503, 504].contains(status) else {
                    health.failed()
                    reportRefusal(status: status, excerpt: excerpt)
                    return .failure(.nonRetryableStatus(status, bodyExcerpt: excerpt))
                }
                lastProblem = "HTTP \(status)"
                if let header = response.headers.first(name: "Retry-After"),
                   let asked = RetryAfter.delay(header, nowSeconds: Double(WallClock.nowNanoseconds()) / 1e9) {
                    let honoured = min(asked, maxRetryAfter)
                    retryAfter = (asked, honoured)
                    pause(for: honoured)
                }
            } catch let cut as ResponseCutShort {
                // A 2xx whose body did not arrive whole is not a delivery: the collector may not have
                // taken the data, and with delta temporality the points must be kept for the retry.
                lastProblem = cut.describe(authority: authority)
                limiter.log(.cutShort, logger, level: .warning, "OTLP collector's response was cut short; the request counts as failed and is retried",
                            metadata: ["status": "\(cut.status)", "problem": "\(lastProblem)", "url": "\(maskedURL)"])
            } catch is DeadlinePassed {
                lastProblem = "no complete answer from \(authority) within the export timeout"
            } catch {
                if Task.isCancelled { health.failed(); return .failure(.cancelled) }
                lastProblem = OTLPErrorText.describe(error, authority: authority, connectTimeout: connectTimeout)
            }
            let wait = retryAfter?.honoured ?? backoff(attempt: attempt)
            guard ContinuousClock.now.advanced(by: wait) < deadline else {
                if let retryAfter {
                    reportPause(retryAfter, status: lastProblem)
                } else {
                    logger.debug("OTLP export gives up: the next retry would pass the export timeout",
                                 metadata: ["attempts": "\(attempt)", "last_problem": "\(lastProblem)"])
                }
                break
            }
            limiter.log(.delivery, logger, level: .warning, "OTLP export attempt failed; retrying",
                        metadata: ["problem": "\(lastProblem)", "attempt": "\(attempt)", "retry_in": "\(wait.spelled)"])
            do { try await Task.sleep(for: wait) } catch { health.failed(); return .failure(.cancelled) }
            health.retried()
        }
        health.failed()
        return .failure(.timedOut(lastProblem: lastProblem))
    }

    /// `initialBackoff · 2^(attempt-1)`, capped, with equal jitter: half fixed, half random.
    func backoff(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let base = min(initialBackoff * (1 << exponent), maxBackoff)
        let half = base / 2
        return half + half * Double.random(in: 0...1)
    }

    /// Records that nothing may be sent for `wait` from now (a later, longer wait wins).
    private func pause(for wait: Duration) {
        let end = ContinuousClock.now.advanced(by: wait)
        pausedUntil.withLock { until in
            if let current = until, current >= end { return }
            until = end
        }
    }

    private func reportPause(_ retryAfter: (asked: Duration, honoured: Duration), status: String) {
        let capped = retryAfter.asked > retryAfter.honoured ? " (capped by max_retry_after)" : ""
        limiter.log(.retryAfter, logger, level: .warning,
                    "OTLP collector asked to wait before the next request (Retry-After); exports send nothing for \(retryAfter.honoured.spelled)\(capped)",
                    metadata: ["status": "\(status)", "retry_after": "\(retryAfter.asked.spelled)", "url": "\(maskedURL)"])
    }

    private func reportRefusal(status: Int, excerpt: String) {
        limiter.log(.refused(status), logger, level: .error, "OTLP collector refused an export (not retried)",
                    metadata: ["status": "\(status)", "body": "\(excerpt)", "url": "\(maskedURL)"])
    }

    private func reportRedirect(status: Int, location: String) {
        limiter.log(.redirect, logger, level: .error,
                    "OTLP collector answered with a redirect, which is not followed (it would re-send the data and headers elsewhere); set the endpoint to the final URL",
                    metadata: ["status": "\(status)", "location": "\(location.isEmpty ? "(none)" : location)", "url": "\(maskedURL)"])
    }

    /// The most response body bytes kept (a partial-success message or an error excerpt); the
    /// rest of a longer body is read and counted, not kept.
    static let maximumKeptResponseBytes = 1 << 20

    /// A response read to its last byte.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        /// The first ``maximumKeptResponseBytes`` of the body.
        var body: [UInt8]
    }

    /// The response ended before its last byte (the connection closed or failed mid-body).
    struct ResponseCutShort: Error {
        var status: Int
        var received: Int
        var announced: Int?
        var underlying: String

        func describe(authority: String) -> String {
            let of = announced.map { " of \($0)" } ?? ""
            return "\(authority) answered HTTP \(status) but its response ended after \(received)\(of) body bytes (\(LogText.escaped(underlying, limit: 160)))"
        }
    }

    /// The export's deadline passed before the response was complete.
    struct DeadlinePassed: Error {}

    /// Sends `request` and reads the whole response, all of it bounded by `deadline`: a child
    /// task sleeps until the deadline and the first child to finish wins, the other is cancelled
    /// (AsyncHTTPClient closes the connection of a cancelled request, so the exchange ends at
    /// once). Throws ``DeadlinePassed``, ``ResponseCutShort``, or the client's error.
    static func exchange(_ request: HTTPClientRequest, client: HTTPClient,
                         deadline: ContinuousClock.Instant) async throws -> Response {
        try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask {
                let remaining = ContinuousClock.now.duration(to: deadline)
                // No logger is handed to the client: its trace output would include request heads.
                let response = try await client.execute(request, timeout: timeAmount(max(remaining, .milliseconds(1))))
                return try await readWhole(response)
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else { throw DeadlinePassed() }
            return response
        }
    }

    /// Reads `response`'s body to its end, keeping the first ``maximumKeptResponseBytes``.
    private static func readWhole(_ response: HTTPClientResponse) async throws -> Response {
        let status = Int(response.status.code)
        let announced = response.headers.first(name: "Content-Length").flatMap { Int($0) }
        var kept: [UInt8] = []
        var received = 0
        do {
            for try await chunk in response.body {
                received &+= chunk.readableBytes
                let room = maximumKeptResponseBytes - kept.count
                if room > 0 { kept.append(contentsOf: chunk.readableBytesView.prefix(room)) }
            }
        } catch {
            if Task.isCancelled { throw error }
            throw ResponseCutShort(status: status, received: received, announced: announced, underlying: "\(error)")
        }
        if let announced, received < announced {
            throw ResponseCutShort(status: status, received: received, announced: announced, underlying: "connection closed")
        }
        return Response(status: status, headers: response.headers, body: kept)
    }

    /// The first 200 bytes of a response body on one line, escaped (see `LogText`).
    static func excerpt(_ bytes: [UInt8]) -> String {
        LogText.escaped(bytes: bytes, limit: 200)
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds &* 1_000_000_000 &+ c.attoseconds / 1_000_000_000)
    }
}

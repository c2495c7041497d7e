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
/// header when present, else exponential backoff (`initialBackoff · 2ⁿ`, capped at `maxBackoff`)
/// with equal jitter. Nothing is attempted past the deadline. Any other non-2xx status is final:
/// logged at error level the first time it is seen (debug afterwards) and counted.
final class OTLPHTTPSender: Sendable {
    private let client: HTTPClient
    private let url: String
    private let headers: HTTPHeaders
    private let compression: OTLPCompression
    private let initialBackoff: Duration
    private let maxBackoff: Duration
    private let health: OTLPExporterHealth
    private let logger: Logger
    private let reportedStatuses = Mutex<Set<Int>>([])

    /// What the collector said about an accepted request.
    struct Accepted: Sendable {
        var partialSuccess: OTLPPartialSuccess?
        var attempts: Int
    }

    init(client: HTTPClient, url: String, configuration c: OTLPExporterConfiguration,
         health: OTLPExporterHealth, logger: Logger) {
        self.client = client
        self.url = url
        var h = HTTPHeaders()
        for (name, value) in c.headers.sorted(by: { $0.key < $1.key }) { h.add(name: name, value: value) }
        h.replaceOrAdd(name: "Content-Type", value: "application/x-protobuf")
        if c.compression == .gzip { h.replaceOrAdd(name: "Content-Encoding", value: "gzip") }
        h.replaceOrAdd(name: "User-Agent", value: "agent-telemetry-otlp/\(OTLPExporterConfiguration.sdkVersion)")
        self.headers = h
        self.compression = c.compression
        self.initialBackoff = c.initialBackoff
        self.maxBackoff = c.maxBackoff
        self.health = health
        self.logger = logger
    }

    /// Sends `body` until it is accepted, refused, or `deadline` passes.
    func send(_ body: [UInt8], deadline: ContinuousClock.Instant) async -> Result<Accepted, OTLPExportError> {
        var buffer = ByteBuffer(bytes: body)
        if compression == .gzip {
            do { buffer = try buffer.compress(with: .gzip()) } catch {
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
            var retryAfter: Duration?
            do {
                let response = try await client.execute(request, timeout: Self.timeAmount(remaining), logger: logger)
                let status = Int(response.status.code)
                let bytes = await Self.collect(response)
                if (200..<300).contains(status) {
                    health.succeeded(atNanoseconds: WallClock.nowNanoseconds())
                    return .success(Accepted(partialSuccess: OTLPPartialSuccess.parse(response: bytes), attempts: attempt))
                }
                let excerpt = Self.excerpt(bytes)
                guard [429, 502, 503, 504].contains(status) else {
                    health.failed()
                    reportRefusal(status: status, excerpt: excerpt)
                    return .failure(.nonRetryableStatus(status, bodyExcerpt: excerpt))
                }
                lastProblem = "HTTP \(status)"
                if let header = response.headers.first(name: "Retry-After") {
                    retryAfter = RetryAfter.delay(header, nowSeconds: Double(WallClock.nowNanoseconds()) / 1e9)
                }
            } catch {
                if Task.isCancelled { health.failed(); return .failure(.cancelled) }
                lastProblem = "\(error)"
            }
            let wait = retryAfter ?? backoff(attempt: attempt)
            guard ContinuousClock.now.advanced(by: wait) < deadline else {
                logger.warning("OTLP export gives up: next retry would pass the export timeout",
                               metadata: ["attempts": "\(attempt)", "last_problem": "\(lastProblem)", "wait": "\(wait)"])
                break
            }
            logger.debug("OTLP export will retry", metadata: ["problem": "\(lastProblem)", "wait": "\(wait)"])
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

    private func reportRefusal(status: Int, excerpt: String) {
        let first = reportedStatuses.withLock { $0.insert(status).inserted }
        let level: Logger.Level = first ? .error : .debug
        logger.log(level: level, "OTLP collector refused an export (not retried)",
                   metadata: ["status": "\(status)", "body": "\(excerpt)", "url": "\(url)"])
    }

    private static func collect(_ response: HTTPClientResponse) async -> [UInt8] {
        do {
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return Array(buffer.readableBytesView)
        } catch {
            return []
        }
    }

    /// The first 200 bytes of a response body as text, control characters replaced.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(200), as: UTF8.self)
        let cleaned = String(text.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
        return bytes.count > 200 ? cleaned + "…" : cleaned
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds &* 1_000_000_000 &+ c.attoseconds / 1_000_000_000)
    }
}

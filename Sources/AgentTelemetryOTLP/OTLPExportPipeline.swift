import AgentTelemetry
import AsyncHTTPClient
import Logging
import Synchronization

/// Runs exports one at a time: snapshot, compute points, split, encode, send, and on each
/// accepted request advance the delta baselines of the points it carried.
///
/// Exports are serialized (a periodic export, `forceFlush` and the final export never overlap),
/// so a delta is never computed from a baseline another in-flight export is about to move.
///
/// The HTTP client: a caller's client is always used. Otherwise the exporter's `run()` attaches
/// the client it created for its lifetime; an export made while none is attached (a
/// `forceFlush()` without `run()`) creates a client for that export and shuts it down after.
actor OTLPExportPipeline {
    /// Where the HTTP client comes from.
    enum ClientSource: Sendable {
        /// The caller's client, owned (and shut down) by the caller.
        case provided(HTTPClient)
        /// Clients the exporter creates with this configuration and shuts down itself.
        case owned(HTTPClient.Configuration)
    }

    private let registry: MetricRegistry
    private let encoder: OTLPMetricsEncoder
    private let sender: OTLPHTTPSender
    private let health: OTLPExporterHealth
    private let logger: Logger
    private let limiter: OTLPLogLimiter
    private let redaction: OTLPRedaction
    private let timeout: Duration
    private let maxPointsPerRequest: Int
    private let clientSource: ClientSource
    private var attachedClient: HTTPClient?
    private var tracker: OTLPDeltaTracker
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var finalExportDone = false
    /// The outcomes of the latest export and of the final one, readable without the actor.
    nonisolated let outcomes = Mutex<(latest: OTLPExportOutcome?, final: OTLPExportOutcome?)>((nil, nil))

    init(registry: MetricRegistry, configuration c: OTLPExporterConfiguration, sender: OTLPHTTPSender,
         clientSource: ClientSource, health: OTLPExporterHealth, logger: Logger,
         limiter: OTLPLogLimiter, redaction: OTLPRedaction) {
        self.registry = registry
        self.encoder = OTLPMetricsEncoder(configuration: c, commonLabels: registry.commonAttributes)
        self.sender = sender
        self.clientSource = clientSource
        self.health = health
        self.logger = logger
        self.limiter = limiter
        self.redaction = redaction
        self.timeout = c.timeout
        self.maxPointsPerRequest = c.maxDataPointsPerRequest
        self.tracker = OTLPDeltaTracker(temporality: c.temporality)
    }

    /// Creates a client the exporter owns, or `nil` when the caller provided one. The owner
    /// must shut it down.
    nonisolated func makeOwnedClient() -> HTTPClient? {
        guard case let .owned(configuration) = clientSource else { return nil }
        return Self.makeClient(configuration)
    }

    private nonisolated static func makeClient(_ configuration: HTTPClient.Configuration) -> HTTPClient {
        HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Makes later exports use `client` (waits for an export in flight).
    func attach(_ client: HTTPClient) async {
        await acquire()
        defer { release() }
        attachedClient = client
    }

    /// Stops using the attached client (waits for an export in flight), so it can be shut down.
    func detach() async {
        await acquire()
        defer { release() }
        attachedClient = nil
    }

    /// Exports the registry now; returns the first problem, or `nil` when every request was accepted.
    func export() async -> OTLPExportError? {
        await acquire()
        defer { release() }
        if let remaining = sender.pauseRemaining() {
            // Announced when the collector asked; every skipped export is not news.
            logger.debug("OTLP export skipped: the collector asked to wait (Retry-After)",
                         metadata: ["remaining": "\(remaining.spelled)"])
            return .waitingForRetryAfter(remaining: remaining)
        }
        let outcome = await withClient { await exportHoldingTurn(client: $0, honouringPause: true) }
        outcomes.withLock { $0.latest = outcome }
        return outcome.problem
    }

    /// The export made at shutdown; only the first call exports, later calls return `nil`.
    func finalExport() async -> OTLPExportError? {
        await acquire()
        defer { release() }
        guard !finalExportDone else { return nil }
        finalExportDone = true
        // Sent even while a Retry-After is pending: its data would otherwise be lost.
        let outcome = await withClient { await exportHoldingTurn(client: $0, honouringPause: false) }
        outcomes.withLock { $0 = (outcome, outcome) }
        if !outcome.isComplete {
            logger.error("OTLP final export did not deliver everything; what was not delivered is lost",
                         metadata: ["outcome": "\(outcome)"])
        }
        return outcome.problem
    }

    /// Runs `body` with the client to use, creating (and afterwards shutting down) one when
    /// neither the caller's nor the run's client is there.
    private func withClient(_ body: (HTTPClient) async -> OTLPExportOutcome) async -> OTLPExportOutcome {
        let configuration: HTTPClient.Configuration
        switch clientSource {
        case let .provided(client): return await body(client)
        case let .owned(c): configuration = c
        }
        if let attachedClient { return await body(attachedClient) }
        let client = Self.makeClient(configuration)
        let result = await body(client)
        do { try await client.shutdown() } catch {
            logger.debug("OTLP exporter: shutting down a per-export HTTP client failed", metadata: ["error": "\(error)"])
        }
        return result
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()  // hand the turn over; busy stays true
        }
    }

    private func exportHoldingTurn(client: HTTPClient, honouringPause: Bool) async -> OTLPExportOutcome {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        // Delta: native histograms also hand over their observations since the previous export,
        // so a point's buckets and scale start afresh each interval.
        let snapshot = registry.snapshot(takingNativeIntervals: tracker.temporality == .delta)
        tracker.absorbIntervals(from: snapshot)
        let groups = OTLPMetricsEncoder.split(tracker.metrics(from: snapshot), limit: maxPointsPerRequest)
        var firstProblem: OTLPExportError?
        var failedRequests = 0
        var points = 0
        var undelivered = 0
        for group in groups {
            let groupPoints = group.reduce(0) { $0 + $1.points.count }
            points += groupPoints
            let body = encoder.encode(group)
            switch await sender.send(body, client: client, deadline: deadline, honouringPause: honouringPause) {
            case let .success(accepted):
                tracker.commit(group)
                if let partial = accepted.partialSuccess {
                    health.rejected(points: partial.rejectedDataPoints)
                    limiter.log(.partialSuccess, logger, level: .warning, "OTLP collector rejected some data points",
                                metadata: ["rejected_data_points": "\(partial.rejectedDataPoints)",
                                           "error_message": "\(LogText.escaped(redaction.scrub(partial.errorMessage)))"])
                }
            case let .failure(problem):
                failedRequests += 1
                undelivered += groupPoints
                if firstProblem == nil { firstProblem = problem }
            }
        }
        if let firstProblem {
            limiter.log(.delivery, logger, level: .warning, "OTLP export failed; the data stays in the registry for the next export",
                        metadata: ["failed_requests": "\(failedRequests)", "requests": "\(groups.count)",
                                   "problem": "\(firstProblem)"])
        }
        return OTLPExportOutcome(requests: groups.count, failedRequests: failedRequests, dataPoints: points,
                                 undeliveredDataPoints: undelivered, problem: firstProblem)
    }
}

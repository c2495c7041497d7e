import AgentTelemetry
import Logging

/// Runs exports one at a time: snapshot, compute points, split, encode, send, and on each
/// accepted request advance the delta baselines of the points it carried.
///
/// Exports are serialized (a periodic export, `forceFlush` and the final export never overlap),
/// so a delta is never computed from a baseline another in-flight export is about to move.
actor OTLPExportPipeline {
    private let registry: MetricRegistry
    private let encoder: OTLPMetricsEncoder
    private let sender: OTLPHTTPSender
    private let health: OTLPExporterHealth
    private let logger: Logger
    private let timeout: Duration
    private let maxPointsPerRequest: Int
    private var tracker: OTLPDeltaTracker
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var finalExportDone = false

    init(registry: MetricRegistry, configuration c: OTLPExporterConfiguration, sender: OTLPHTTPSender,
         health: OTLPExporterHealth, logger: Logger) {
        self.registry = registry
        self.encoder = OTLPMetricsEncoder(configuration: c)
        self.sender = sender
        self.health = health
        self.logger = logger
        self.timeout = c.timeout
        self.maxPointsPerRequest = c.maxDataPointsPerRequest
        self.tracker = OTLPDeltaTracker(temporality: c.temporality)
    }

    /// Exports the registry now; returns the first problem, or `nil` when every request was accepted.
    func export() async -> OTLPExportError? {
        await acquire()
        defer { release() }
        return await exportHoldingTurn()
    }

    /// The export made at shutdown; only the first call exports, later calls return `nil`.
    func finalExport() async -> OTLPExportError? {
        await acquire()
        defer { release() }
        guard !finalExportDone else { return nil }
        finalExportDone = true
        return await exportHoldingTurn()
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

    private func exportHoldingTurn() async -> OTLPExportError? {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let snapshot = registry.snapshot()
        let groups = OTLPMetricsEncoder.split(tracker.metrics(from: snapshot), limit: maxPointsPerRequest)
        var firstProblem: OTLPExportError?
        var failedRequests = 0
        for group in groups {
            let body = encoder.encode(group)
            switch await sender.send(body, deadline: deadline) {
            case let .success(accepted):
                tracker.commit(group)
                if let partial = accepted.partialSuccess {
                    health.rejected(points: partial.rejectedDataPoints)
                    logger.warning("OTLP collector rejected some data points",
                                   metadata: ["rejected_data_points": "\(partial.rejectedDataPoints)",
                                              "error_message": "\(partial.errorMessage)"])
                }
            case let .failure(problem):
                failedRequests += 1
                if firstProblem == nil { firstProblem = problem }
            }
        }
        if let firstProblem {
            logger.warning("OTLP export failed; the data stays in the registry for the next export",
                           metadata: ["failed_requests": "\(failedRequests)", "requests": "\(groups.count)",
                                      "problem": "\(firstProblem)"])
        }
        return firstProblem
    }
}

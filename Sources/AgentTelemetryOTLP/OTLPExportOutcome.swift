/// What one export delivered: how many requests and data points it had, and how many the
/// collector did not accept. Read it after a stop to say what the final export left behind.
public struct OTLPExportOutcome: Sendable, Equatable, CustomStringConvertible {
    /// Requests the export was split into.
    public var requests: Int
    /// Requests that were not accepted (retries exhausted, refused, cancelled, or not sent).
    public var failedRequests: Int
    /// Data points the export carried.
    public var dataPoints: Int
    /// Data points in the requests that were not accepted. With cumulative temporality the next
    /// export sends their values again; after the final export they are lost.
    public var undeliveredDataPoints: Int
    /// The first problem, or nil when every request was accepted.
    public var problem: OTLPExportError?

    /// Creates a value.
    public init(requests: Int, failedRequests: Int, dataPoints: Int, undeliveredDataPoints: Int, problem: OTLPExportError?) {
        self.requests = requests
        self.failedRequests = failedRequests
        self.dataPoints = dataPoints
        self.undeliveredDataPoints = undeliveredDataPoints
        self.problem = problem
    }

    /// Whether every request was accepted.
    public var isComplete: Bool { failedRequests == 0 && problem == nil }

    /// `1257 data points delivered in 2 requests`, or
    /// `1207 of 1257 data points not delivered (1 of 2 requests failed: …)`.
    public var description: String {
        if isComplete { return "\(dataPoints) data points delivered in \(requests) request\(requests == 1 ? "" : "s")" }
        let why = problem.map { ": \($0)" } ?? ""
        return "\(undeliveredDataPoints) of \(dataPoints) data points not delivered (\(failedRequests) of \(requests) request\(requests == 1 ? "" : "s") failed\(why))"
    }
}

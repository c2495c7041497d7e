/// The unit a report value is expressed in. JSON and CSV carry the value in this unit.
package enum ReportUnit: String, Sendable, Codable, CaseIterable {
    /// Milliseconds (latencies).
    case milliseconds = "ms"
    /// Percent, 0–100 (success, hit and usage ratios).
    case percent = "%"
    /// LLM tokens.
    case tokens
    /// US dollars.
    case usd = "USD"
    /// Mebibytes (memory).
    case mebibytes = "MiB"
    /// Seconds (CPU time).
    case seconds = "s"
    /// A plain count (requests, executions, users).
    case count
}

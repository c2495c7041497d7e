/// Default histogram bucket boundaries.
public enum Buckets {
    /// Latencies of agent work from 5 ms to 60 s: tool calls, provider requests, chat turns.
    public static let agentLatency: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60]

    /// Token counts per request, following the OpenTelemetry GenAI recommendation for
    /// `gen_ai.client.token.usage` (powers of four from 1 to 67,108,864).
    public static let tokenCounts: [Double] = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]

    /// GenAI client operation durations, the OpenTelemetry recommendation for
    /// `gen_ai.client.operation.duration` (0.01 s doubling to 81.92 s).
    public static let genAIDuration: [Double] = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]

    /// Time between streamed chunks or tokens: the OpenTelemetry GenAI conventions' boundaries
    /// for per-token and per-chunk timings (10 ms to 2.5 s).
    public static let genAIChunkInterval: [Double] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5]

    /// Values between 0 and 1 (accuracy, ratios, scores).
    public static let ratio: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1]

    /// US dollars per session: a tenth of a cent to a hundred dollars.
    public static let costPerSession: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100]

    /// Small counts (citations per search, steps per plan, requests per session).
    public static let smallCounts: [Double] = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]

    /// Longer durations, 1 s to 8 h (sessions, deployments, scans).
    public static let longDuration: [Double] = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800]

    /// `count` boundaries starting at `start`, each `factor` times the previous.
    public static func exponential(start: Double, factor: Double, count: Int) -> [Double] {
        guard start > 0, factor > 1, count > 0 else { return [] }
        var out: [Double] = []
        out.reserveCapacity(count)
        var v = start
        for _ in 0..<count { out.append(v); v *= factor }
        return out
    }

    /// `count` boundaries starting at `start`, `width` apart.
    public static func linear(start: Double, width: Double, count: Int) -> [Double] {
        guard width > 0, count > 0 else { return [] }
        return (0..<count).map { start + Double($0) * width }
    }

    /// The most boundaries a histogram may have: every series keeps a count per bucket and
    /// every scrape writes a line per bucket, so 100,000 buckets made one scrape take 15 s and
    /// the process 1.7 GB. 256 is far more than any latency layout needs (the catalog's have
    /// 10–16); for high resolution over a wide range use fewer, exponential boundaries.
    public static let maximumCount = 256

    /// Returns `nil` when the boundaries are usable, else why not.
    public static func problem(_ bounds: [Double]) -> String? {
        if bounds.isEmpty { return "at least one boundary is required" }
        if bounds.count > maximumCount {
            return "\(bounds.count) boundaries are more than the \(maximumCount) a histogram may have"
        }
        for (i, b) in bounds.enumerated() {
            if !b.isFinite { return "boundary \(b) is not finite (+Inf is implicit)" }
            if i > 0 && bounds[i - 1] >= b { return "boundaries must be strictly increasing (\(bounds[i - 1]) then \(b))" }
        }
        return nil
    }
}

import AgentTelemetry
import AgentTelemetryTesting
import AgentTelemetryTestSupport
@testable import AgentTelemetryStatsD
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// "Telemetry never hurts its host": a StatsD server that cannot be found or does not listen
/// costs few look-ups and few log lines.
@Suite("StatsD exporter: host safety")
struct StatsDHostSafetyTests {
    /// The system resolver, with the start time of every look-up recorded.
    final class CountingResolver: Sendable {
        private let starts = Mutex<[ContinuousClock.Instant]>([])

        var lookups: [ContinuousClock.Instant] { starts.withLock { $0 } }

        var resolver: StatsDSender.Resolver {
            { host, port in
                self.starts.withLock { $0.append(.now) }
                return try StatsDSender.systemResolver(host, port)
            }
        }
    }

    @Test func anUnresolvableHostIsLookedUpWithBackoffNotOnEveryFlush() async throws {
        let counting = CountingResolver()
        let log = LogCapture()
        let registry = MetricRegistry()
        // `.invalid` never resolves (RFC 6761).
        let exporter = try StatsDExporter(
            registry: registry,
            configuration: StatsDConfiguration(host: "statsd.invalid", flushInterval: .milliseconds(20), errorLogInterval: .seconds(3600)),
            logger: log.logger(), eventLoopGroup: MultiThreadedEventLoopGroup.singleton, resolver: counting.resolver)
        let calls = try registry.counter("calls_total", help: "h")

        var flushes = 0
        try await withRunning(exporter) {
            // Progress, not a clock: flush with lines queued until the third look-up happened and
            // the flushes outnumber the look-ups (they never would if each flush looked the host
            // up; on a loaded machine the test's own flushes can be as slow as the backoff).
            let third = await eventually(timeout: .seconds(180)) {
                calls.labels().increment()
                await exporter.flush()
                flushes += 1
                return counting.lookups.count >= 3 && flushes > counting.lookups.count
            }
            #expect(third, "no third look-up, or a look-up per flush")
        }
        let lookups = counting.lookups
        try #require(lookups.count >= 3)
        // 1 s after the first failure, then 2 s: never one per flush.
        #expect(lookups[0].duration(to: lookups[1]) >= .seconds(1), "\(lookups[0].duration(to: lookups[1]))")
        #expect(lookups[1].duration(to: lookups[2]) >= .seconds(2), "\(lookups[1].duration(to: lookups[2]))")
        #expect(flushes > lookups.count)
        // Lines queued meanwhile are dropped and counted; each failed look-up is a send error.
        #expect(registry.sumOfSeries("agent_telemetry_statsd_lines_dropped_total", matching: ["reason": "send_error"]) >= Double(flushes))
        #expect(registry.sumOfSeries("agent_telemetry_statsd_send_errors_total") == Double(lookups.count))
        // Logged once (the interval is an hour), in words, with the wait.
        let warnings = log.warnings
        #expect(warnings.count == 1, "\(warnings.map(\.line))")
        let message = warnings.first?.message ?? "no warning"
        #expect(message.hasPrefix("statsd host statsd.invalid could not be resolved (unknown host"), "\(message)")
        #expect(message.contains("); next look-up in 1s; lines are dropped"), "\(message)")
        #expect(!message.contains("SocketAddressError"), "\(message)")
    }

    @Test func theResolveBackoffDoublesFromOneSecondToAMinute() {
        #expect((1...8).map { StatsDSender.resolveBackoff(afterFailures: $0) }
            == [1, 2, 4, 8, 16, 32, 60, 60].map { Duration.seconds($0) })
        #expect(StatsDSender.resolveBackoff(afterFailures: 1000) == .seconds(60))
    }

    @Test func aRefusedPortIsWarnedAboutOnceInWords() async throws {
        let port = try TestDatagramReceiver.closedUDPPort()
        let log = LogCapture()
        let registry = MetricRegistry()
        let exporter = try StatsDExporter(
            registry: registry,
            configuration: StatsDConfiguration(port: port, flushInterval: .milliseconds(20), errorLogInterval: .seconds(3600)),
            logger: log.logger())
        let calls = try registry.counter("calls_total", help: "h")
        try await withRunning(exporter) {
            let counted = await eventually {
                calls.labels().increment()
                await exporter.flush()
                return registry.sumOfSeries("agent_telemetry_statsd_send_errors_total") >= 3
            }
            #expect(counted, "ECONNREFUSED was not counted")
        }
        let warnings = log.warnings
        #expect(warnings.count == 1, "\(warnings.map(\.line))")
        let line = warnings.first?.line ?? ""
        #expect(line.contains("connection refused (nothing listens on that port)"), "\(line)")
        #expect(!line.contains("errno") && !line.contains("error set"), "\(line)")
    }

    @Test func theLimiterReportsTheFirstAtOnceThenOncePerIntervalWithTheCount() {
        let limiter = StatsDLogLimiter(interval: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(limiter.admit(.send, now: t0) == 0)
        #expect(limiter.admit(.send, now: t0.advanced(by: .seconds(3))) == nil)
        #expect(limiter.admit(.resolve, now: t0.advanced(by: .seconds(3))) == 0, "kinds are limited apart")
        #expect(limiter.admit(.send, now: t0.advanced(by: .seconds(12))) == 1)
    }
}

import AgentTelemetry
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the exposition to a file on an interval, for node_exporter's textfile collector.
///
/// Each write goes to a temporary file in the same directory, which is then renamed over the
/// target, so the collector never reads a half-written file. A `TelemetryExporter`: writes every
/// interval through `PeriodicRunner`, and once more on graceful shutdown.
public final class PrometheusTextfileWriter: TelemetryExporter, Sendable {
    /// `agent_telemetry_textfile_writes_total{result}`.
    static let writesMetric = MetricDescriptor(
        "agent_telemetry_textfile_writes_total", .counter,
        help: "Writes of the textfile collector output by result (success, failure); a failed write is logged once per distinct error and retried at the next interval.",
        unit: .annotation("write"), labels: ["result"], category: .selfObservability, namespaced: false, origin: .pipeline)
    /// `agent_telemetry_textfile_last_success_timestamp_seconds`.
    static let lastSuccessMetric = MetricDescriptor(
        "agent_telemetry_textfile_last_success_timestamp_seconds", .gauge,
        help: "Unix time of the last complete write of the textfile collector output.", unit: .seconds,
        category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The writer's own metrics: writes by result and the time of the last good one (failures are
    /// also logged, once per distinct error).
    public static var selfMetrics: [MetricDescriptor] { [writesMetric, lastSuccessMetric] }
    /// Path and interval.
    public let configuration: PrometheusTextfileConfiguration
    /// Target path (should end in `.prom` for node_exporter).
    public var path: String { configuration.path }
    /// Time between writes.
    public var interval: Duration { configuration.interval }
    let registry: MetricRegistry
    let logger: Logger
    let clock: TelemetryClock
    private let succeeded: CounterSeries
    private let failed: CounterSeries
    private let lastSuccess: GaugeSeries

    /// Errors writing the file.
    public struct WriteError: Error, CustomStringConvertible {
        /// What failed.
        public let description: String
    }

    /// Creates a writer; `clock` measures the interval (tests pass a manual clock).
    /// - Throws: `ConfigurationIssues` with every problem of `configuration` (key paths from the
    ///   `textfile` section): an invalid configuration is refused before anything starts.
    public init(registry: MetricRegistry, configuration: PrometheusTextfileConfiguration,
                logger: Logger = Logger(label: "agent-telemetry.textfile"), clock: TelemetryClock = .continuous) throws(ConfigurationIssues) {
        let problems = configuration.validate()
        if !problems.isEmpty { throw ConfigurationIssues(problems) }
        self.registry = registry
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        let writes = registry.counter(Self.writesMetric)
        succeeded = writes.labels("success")
        failed = writes.labels("failure")
        lastSuccess = registry.gauge(Self.lastSuccessMetric).series
    }

    /// Creates a writer for `path`, writing every `interval`.
    /// - Throws: `ConfigurationIssues` for an empty path or an interval out of range.
    public convenience init(registry: MetricRegistry, path: String, interval: Duration = .seconds(15),
                            logger: Logger = Logger(label: "agent-telemetry.textfile")) throws(ConfigurationIssues) {
        try self.init(registry: registry, configuration: PrometheusTextfileConfiguration(path: path, interval: interval), logger: logger)
    }

    /// Writes at once, then every `interval` until graceful shutdown or cancellation, then once
    /// more. A failed write is counted, logged (once per distinct error) and retried at the next
    /// interval; it never ends the service.
    public func run() async throws {
        var lastError: String?
        func write(final: Bool) {
            do {
                try writeOnce()
                lastError = nil
            } catch {
                let text = String(describing: error)
                if text != lastError || final { logger.error("\(final ? "final " : "")textfile export failed: \(text)") }
                lastError = text
            }
        }
        write(final: false)
        await PeriodicRunner(interval: interval, clock: clock.swiftClock).run(tick: { write(final: false) }, final: { write(final: true) })
    }

    /// Renders the registry and atomically replaces the file; counts the write by result.
    public func writeOnce() throws {
        do {
            try replaceFile()
            succeeded.increment()
            lastSuccess.set(EventTimestamp.now.secondsSinceEpoch)
        } catch {
            failed.increment()
            throw error
        }
    }

    private func replaceFile() throws {
        var bytes: [UInt8] = []
        PrometheusTextEncoder(format: .prometheusText).encode(registry: registry, into: &bytes)
        let temp = path + ".tmp.\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot create \(temp): \(String(cString: strerror(errno)))") }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                guard let base = raw.baseAddress else { return true }
                let n = write(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
        let writeErrno = errno
        close(fd)
        guard ok else {
            unlink(temp)
            throw WriteError(description: "cannot write \(temp): \(String(cString: strerror(writeErrno)))")
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw WriteError(description: "cannot rename \(temp) to \(path): \(String(cString: strerror(e)))")
        }
    }
}


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
    /// The writer has no metrics of its own (failures are logged, once per distinct error).
    public static var selfMetrics: [MetricDescriptor] { [] }
    /// Path and interval.
    public let configuration: PrometheusTextfileConfiguration
    /// Target path (should end in `.prom` for node_exporter).
    public var path: String { configuration.path }
    /// Time between writes.
    public var interval: Duration { configuration.interval }
    let registry: MetricRegistry
    let logger: Logger
    let clock: TelemetryClock

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
    }

    /// Creates a writer for `path`, writing every `interval`.
    /// - Throws: `ConfigurationIssues` for an empty path or an interval out of range.
    public convenience init(registry: MetricRegistry, path: String, interval: Duration = .seconds(15),
                            logger: Logger = Logger(label: "agent-telemetry.textfile")) throws(ConfigurationIssues) {
        try self.init(registry: registry, configuration: PrometheusTextfileConfiguration(path: path, interval: interval), logger: logger)
    }

    /// Writes at once, then every `interval` until graceful shutdown or cancellation, then once
    /// more. A failed write is logged (once per distinct error) and never ends the service.
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

    /// Renders the registry and atomically replaces the file.
    public func writeOnce() throws {
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


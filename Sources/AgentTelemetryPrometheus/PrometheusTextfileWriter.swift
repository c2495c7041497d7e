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
/// target, so the collector never reads a half-written file. Runs as a `Service`; writes once
/// more on graceful shutdown.
public final class PrometheusTextfileWriter: Service, Sendable {
    /// Target path (should end in `.prom` for node_exporter).
    public let path: String
    /// Time between writes.
    public let interval: Duration
    let registry: MetricRegistry
    let logger: Logger

    /// Errors writing the file.
    public struct WriteError: Error, CustomStringConvertible {
        /// What failed.
        public let description: String
    }

    /// Creates a writer.
    public init(registry: MetricRegistry, path: String, interval: Duration = .seconds(15),
                logger: Logger = Logger(label: "agent-telemetry.textfile")) {
        self.registry = registry
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    /// Writes every `interval` until graceful shutdown or cancellation, then once more.
    public func run() async throws {
        var lastError: String?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try writeOnce()
                lastError = nil
            } catch {
                let text = String(describing: error)
                if text != lastError { logger.error("textfile export failed: \(text)") }
                lastError = text
            }
            _ = try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
        // The final write must not turn a clean shutdown into a failure of the whole service group.
        do {
            try writeOnce()
        } catch {
            logger.error("final textfile export failed: \(error)")
        }
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


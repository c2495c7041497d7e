import AgentTelemetry
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Writes the registry to InfluxDB 1.x every `interval`, and once more on graceful shutdown.
///
/// Failure policy (the same as the built-in exporters'): a write that fails is logged (the first,
/// then at most once a minute with the number of failures since), counted in
/// `agent_telemetry_influxdb_writes_total{result="failure"}`, and retried by the next write. Values
/// are cumulative, so a later write carries what a failed one did not. `run()` never throws for a
/// failed write.
public final class InfluxExporter: TelemetryExporter, Sendable {
    /// `agent_telemetry_influxdb_writes_total{result}`: write requests by result.
    public static let writesMetric = MetricDescriptor(
        "agent_telemetry_influxdb_writes_total", .counter, help: "InfluxDB write requests by result (success, failure).",
        labels: ["result"], category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The exporter's own metrics.
    public static var selfMetrics: [MetricDescriptor] { [writesMetric] }

    /// The settings in force.
    public let configuration: InfluxConfiguration
    private let registry: MetricRegistry
    private let logger: Logger
    private let clock: TelemetryClock
    private let httpClient: HTTPClient
    private let succeeded: CounterSeries
    private let failed: CounterSeries

    /// An exporter of `registry`; `clock` measures the interval (a manual clock in tests).
    public init(registry: MetricRegistry, configuration: InfluxConfiguration, logger: Logger,
                clock: TelemetryClock = .continuous, httpClient: HTTPClient = .shared) {
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.httpClient = httpClient
        let writes = registry.counter(Self.writesMetric)
        succeeded = writes.labels("success")
        failed = writes.labels("failure")
    }

    /// Writes every `interval` until graceful shutdown or cancellation, then once more.
    public func run() async throws {
        var failures = 0
        var lastLog: Duration?
        let logEvery: Duration = .seconds(60)
        func write(final: Bool) async {
            do {
                try await writeOnce()
                succeeded.increment()
                if failures > 0 { logger.info("influxdb writes succeed again", metadata: ["failed_before": "\(failures)"]) }
                failures = 0
            } catch {
                failed.increment()
                failures += 1
                let now = clock.now
                if final || lastLog.map({ now - $0 >= logEvery }) ?? true {
                    lastLog = now
                    logger.error("\(final ? "final " : "")influxdb write failed: \(error)", metadata: ["failures": "\(failures)"])
                }
            }
        }
        await PeriodicRunner(interval: configuration.interval, clock: clock.swiftClock)
            .run(tick: { await write(final: false) }, final: { await write(final: true) })
    }

    /// One write of the whole registry. Throws ``WriteError`` when the server does not answer 204
    /// within `timeout`.
    public func writeOnce() async throws {
        let body = InfluxLineProtocol.render(registry.snapshot())
        guard !body.isEmpty else { return }
        var request = HTTPClientRequest(url: configuration.writeURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        if let user = configuration.username, let password = configuration.password {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(configuration.timeout.components.seconds) * 1_000_000_000
                                                                                    + configuration.timeout.components.attoseconds / 1_000_000_000))
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard response.status.code == 204 else {
            throw WriteError(status: Int(response.status.code), message: String(buffer: answer).prefix(200).description)
        }
    }

    /// The server refused a write.
    public struct WriteError: Error, CustomStringConvertible {
        /// The HTTP status.
        public var status: Int
        /// The start of the server's answer.
        public var message: String
        /// `HTTP 404: database not found: "agent"`.
        public var description: String { "HTTP \(status): \(message)" }
    }
}

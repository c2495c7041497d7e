import AgentTelemetry
import CompressNIO
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded HTTP/1.1 `/metrics` endpoint, a swift-service-lifecycle `Service`.
///
/// - `GET`/`HEAD` on the metrics path: the registry as Prometheus text 0.0.4, or OpenMetrics 1.0
///   or the Prometheus protobuf format (delimited `MetricFamily` messages, which carry native
///   histograms) when the scraper's `Accept` asks for it; gzip when `Accept-Encoding: gzip`.
/// - `GET /health`: `200` with a short JSON status.
/// - Other paths: 404; other methods: 405 with `Allow`.
/// - Optional bearer or basic auth on the metrics path (401 with `WWW-Authenticate`).
/// - Request heads above the limit get 431; unparseable requests get 400; idle connections are
///   closed. One bad client never affects the others: each connection is its own task, and its
///   next request is read only once its previous response has been written, so a client that
///   pipelines requests and never reads has one response produced, not one per request.
/// - A connection is closed (`Connection: close`, half-close, stop) only after the last byte of
///   its response is written.
/// - Optional TLS, with or without required client certificates (`configuration.tls`): the
///   handshake is bounded by the request-head timeout, a failed one is counted and logged (rate
///   limited), and certificate files are re-read when they change (see
///   ``reloadCertificatesIfChanged()``). Without TLS the pipeline is exactly the plain one.
///
/// Rendering happens on a Swift concurrency task, not on the NIO event loop; the registry lock is
/// held only while series references are copied, never for the whole render.
///
/// A `TelemetryExporter`: add it to the application's `ServiceGroup` before `Telemetry`, so that
/// it keeps answering scrapes while the bus drains.
public final class PrometheusExporter: TelemetryExporter, Sendable {
    /// `agent_telemetry_prometheus_requests_total{handler,status}`.
    static let requestsMetric = MetricDescriptor(
        "agent_telemetry_prometheus_requests_total", .counter,
        help: "Requests served by the embedded Prometheus endpoint, by path kind (metrics, health, other) and status code.",
        unit: .annotation("request"), labels: ["handler", "status"], category: .selfObservability, namespaced: false, origin: .pipeline)

    /// `agent_telemetry_prometheus_connections_refused_total`.
    static let refusedMetric = MetricDescriptor(
        "agent_telemetry_prometheus_connections_refused_total", .counter,
        help: "Connections to the embedded Prometheus endpoint closed at once because max_connections were open.",
        unit: .annotation("connection"), category: .selfObservability, namespaced: false, origin: .pipeline)

    /// `agent_telemetry_prometheus_tls_handshake_failures_total`.
    static let handshakeFailuresMetric = MetricDescriptor(
        "agent_telemetry_prometheus_tls_handshake_failures_total", .counter,
        help: "TLS handshakes with the embedded Prometheus endpoint that failed or timed out (no or untrusted client certificate, plain HTTP on the TLS port, request_head_timeout passed).",
        unit: .annotation("handshake"), category: .selfObservability, namespaced: false, origin: .pipeline)

    /// `agent_telemetry_prometheus_tls_certificate_reload_failures_total`.
    static let certificateReloadFailuresMetric = MetricDescriptor(
        "agent_telemetry_prometheus_tls_certificate_reload_failures_total", .counter,
        help: "Checks that found the embedded Prometheus endpoint's TLS files changed but unusable; the previous certificate stays in use (a successful reload shows in the expiry gauge).",
        unit: .annotation("failure"), category: .selfObservability, namespaced: false, origin: .pipeline)

    /// `agent_telemetry_prometheus_tls_certificate_expiry_timestamp_seconds`.
    static let certificateExpiryMetric = MetricDescriptor(
        "agent_telemetry_prometheus_tls_certificate_expiry_timestamp_seconds", .gauge,
        help: "When the TLS certificate the embedded Prometheus endpoint serves expires (notAfter, Unix time in seconds).",
        unit: .seconds, category: .selfObservability, namespaced: false, origin: .pipeline)

    /// The endpoint's own metrics (the TLS ones are registered only when TLS is configured).
    public static var selfMetrics: [MetricDescriptor] {
        [requestsMetric, refusedMetric, handshakeFailuresMetric, certificateReloadFailuresMetric, certificateExpiryMetric]
    }


    /// Bytes of a response the kernel holds for a connection beyond what is in flight to the
    /// peer (`TCP_NOTSENT_LOWAT`): 64 KiB. Without it, loopback and LAN sockets auto-tune their
    /// send buffer to 4 MiB, so a client that pipelines scrapes and never reads had every one of
    /// them rendered and copied into the kernel (about 2 GB for 1,000 such clients), starving
    /// `/health`. With it, such a client costs one queued response plus what its receive window
    /// takes. A client that reads is not slowed: the socket is refilled as it drains.
    static let unsentBytesLimit: SocketOptionValue = 64 * 1024

    /// The `TCP_NOTSENT_LOWAT` socket option.
    static let notSentLowWatermark = NIOBSDSocket.Option(rawValue: CInt(TCP_NOTSENT_LOWAT))

    /// The settings.
    public let configuration: PrometheusExporterConfiguration
    let registry: MetricRegistry
    let logger: Logger
    let group: any EventLoopGroup
    private let auth: HTTPAuthorization?
    private let state = Mutex<State>(State())
    private let buffers = Mutex<[[UInt8]]>([])
    private let scrapes: CounterFamily
    private let refusedConnections: CounterSeries
    private let coalescer = ScrapeCoalescer()
    private let loggedConnectionLimit = Atomic<Bool>(false)
    private let started = WallClock.nowNanoseconds()
    /// The TLS context, loaded when the exporter is created.
    private let tls: ServerTLSContext?
    /// The TLS context while `run()` serves with TLS.
    private let tlsContext = Mutex<ServerTLSContext?>(nil)
    /// Failed handshakes: logged at once, then at most once a minute with a count.
    private let handshakeLog = RateLimitedLog<String>(interval: .seconds(60))

    struct State {
        var port: Int?
        var bindError: String?
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var connections: [ObjectIdentifier: (channel: any Channel, busy: Bool)] = [:]
        /// Wrapped connections not yet taken by `serve`. Kept here, not only in the accept
        /// stream: a connection accepted while the server closes may never come out of that
        /// stream, and an NIOAsyncChannel must go through `executeThenClose` (else NIO traps).
        var unserved: [ObjectIdentifier: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>] = [:]
        var server: (any Channel)?
        var stopped = false
    }

    /// Errors of the endpoint.
    public enum ExporterError: Error, CustomStringConvertible {
        /// Binding the address failed.
        case bindFailed(host: String, port: Int, reason: String)
        /// The server stopped before it was bound.
        case notRunning

        public var description: String {
            switch self {
            case .bindFailed(let h, let p, let r): "cannot listen on \(h):\(p): \(r)"
            case .notRunning: "the prometheus exporter is not running"
            }
        }
    }

    /// Creates the endpoint and loads its TLS certificate and key, if any; `run()` binds and serves.
    /// - Throws: `ConfigurationIssues` with every problem of `configuration` (key paths from the
    ///   `prometheus` section), or a TLS file that cannot be loaded: an invalid configuration is
    ///   refused before anything starts (the one failure policy of every exporter,
    ///   docs/ARCHITECTURE.md).
    public init(registry: MetricRegistry, configuration: PrometheusExporterConfiguration = .init(),
                logger: Logger = Logger(label: "agent-telemetry.prometheus"),
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(ConfigurationIssues) {
        let problems = configuration.validate()
        if !problems.isEmpty { throw ConfigurationIssues(problems) }
        self.tls = try configuration.tls.map { c throws(ConfigurationIssues) in
            try ServerTLSContext(configuration: c, logger: logger, reloadFailures: registry.counter(Self.certificateReloadFailuresMetric).series,
                                 expiry: registry.gauge(Self.certificateExpiryMetric).series)
        }
        self.registry = registry
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.auth = configuration.authentication.map(HTTPAuthorization.init)
        self.scrapes = registry.counter(Self.requestsMetric)
        self.refusedConnections = registry.counter(Self.refusedMetric).series
    }

    /// Connections currently registered (for tests).
    var connectionCount: Int { state.withLock { $0.connections.count } }

    /// The port the server listens on, once bound.
    public var boundPort: Int? { state.withLock { $0.port } }

    /// Suspends until the server is bound and returns its port.
    public func waitUntilBound() async throws -> Int {
        try await withCheckedThrowingContinuation { c in
            let r = state.withLock { s -> Result<Int, any Error>? in
                if let p = s.port { return .success(p) }
                if let e = s.bindError { return .failure(ExporterError.bindFailed(host: configuration.host, port: configuration.port, reason: e)) }
                if s.stopped { return .failure(ExporterError.notRunning) }
                s.waiters.append(c)
                return nil
            }
            if let r { c.resume(with: r) }
        }
    }

    /// Binds and serves until graceful shutdown or cancellation.
    public func run() async throws {
        let limit = configuration.maxRequestHeadBytes
        let idle = Self.timeAmount(configuration.idleTimeout)
        let headTimeout = Self.timeAmount(configuration.requestHeadTimeout)
        let tls = self.tls
        let handshakeFailure = tls.map { _ in self.handshakeFailureReporter() }
        tlsContext.withLock { $0 = tls }
        defer { tlsContext.withLock { $0 = nil } }
        // The accept stream carries only keys; the wrapped connections wait in `unserved`
        // until `serve` takes them, and whatever is left there at the end is closed properly.
        let server: NIOAsyncChannel<ObjectIdentifier, Never>
        do {
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                // A peer that does not read cannot make the kernel buffer megabytes of answers
                // for it (see `unsentBytesLimit`); the send buffer still grows for one that reads.
                .childChannelOption(ChannelOptions.tcpOption(Self.notSentLowWatermark), value: Self.unsentBytesLimit)
                // A request followed at once by FIN (half-close) still gets its answer.
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(IdleStateHandler(readTimeout: idle))
                        try sync.addHandler(CloseOnIdleHandler())
                        if let tls, let handshakeFailure {
                            try TLSHandshakeGuard.install(in: sync, context: tls.current, timeout: headTimeout, report: handshakeFailure)
                        }
                        try sync.addHandler(RequestHeadLimitHandler(limit: limit, timeout: headTimeout))
                        try sync.configureHTTPServerPipeline(withErrorHandling: true)
                        let wrapped = try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                            wrappingChannelSynchronously: channel)
                        return self.track(wrapped)
                    }
                }
        } catch {
            let reason = Self.describe(error)
            failWaiters(reason)
            throw ExporterError.bindFailed(host: configuration.host, port: configuration.port, reason: reason)
        }
        let port = server.channel.localAddress?.port ?? configuration.port
        let waiters = state.withLock { s -> [CheckedContinuation<Int, any Error>] in
            s.port = port
            s.server = server.channel
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: port) }
        let scheme = tls == nil ? "http" : "https"
        logger.info("serving metrics on \(scheme)://\(configuration.host):\(port)\(configuration.path)",
                    metadata: tls.map { Self.tlsMetadata($0.configuration) } ?? [:])

        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { background in
                if let tls {
                    // Certificate rotation: a check every reload_interval, ended with the server.
                    background.addTask {
                        await PeriodicRunner(interval: tls.configuration.reloadInterval).run(
                            tick: { _ = await self.reloadCertificatesIfChanged() }, final: {})
                    }
                }
                await self.serveConnections(server)
                background.cancelAll()
            }
        } onGracefulShutdown: {
            self.stop()
        }
        state.withLock { $0.stopped = true }
    }

    /// Serves every connection the server accepts until it is closed, then closes what is left.
    private func serveConnections(_ server: NIOAsyncChannel<ObjectIdentifier, Never>) async {
        await withDiscardingTaskGroup { group in
            do {
                // The loop runs until the server channel is closed and every connection it
                // accepted has been handed out: each one goes through `serve`, which closes
                // it through `executeThenClose` even when the server is stopping.
                try await server.executeThenClose { inbound in
                    for try await key in inbound {
                        group.addTask { await self.serve(key) }
                    }
                }
            } catch {
                if !Task.isCancelled { logger.error("metrics server stopped accepting connections: \(error)") }
            }
            // Connections accepted but never handed out (the server closed first): close
            // each one through executeThenClose.
            let leftovers = self.state.withLock { s in
                defer { s.unserved = [:] }
                return Array(s.unserved.values)
            }
            for connection in leftovers {
                group.addTask { try? await connection.executeThenClose { _, _ in } }
            }
            // Accepting has ended; close what is still open so the group can finish.
            self.closeAll()
        }
    }

    /// Re-reads the TLS certificate, key and client CA files if one of them changed on disk
    /// (device, inode, size or modification time), and swaps the context new connections use.
    ///
    /// `run()` calls this every `tls.reload_interval`; call it yourself to apply a rotation at
    /// once (after writing new files, on SIGHUP). A change that cannot be used (unreadable file,
    /// a key that is not the certificate's) keeps the previous certificate; each distinct
    /// failure is logged once, and the next call tries again. The files are read on NIO's
    /// blocking-I/O thread pool, never on an event loop or the concurrency pool.
    /// - Returns: what happened; ``CertificateReloadResult/notConfigured`` when the endpoint is
    ///   not serving TLS.
    public func reloadCertificatesIfChanged() async -> CertificateReloadResult {
        guard let tls = tlsContext.withLock({ $0 }) else { return .notConfigured }
        do {
            return try await NIOThreadPool.singleton.runIfActive { tls.reloadIfChanged() }
        } catch {
            return .failed("the blocking I/O pool is not running: \(error)")
        }
    }

    /// Counts and logs (rate limited) one failed handshake.
    private func handshakeFailureReporter() -> TLSHandshakeGuard.Report {
        let failures = registry.counter(Self.handshakeFailuresMetric).series
        let log = handshakeLog
        let logger = logger
        return { reason, peer in
            failures.increment()
            log.log("handshake", logger, level: .warning, "metrics endpoint refused a connection: TLS handshake failed",
                    metadata: ["peer": "\(peer)", "reason": "\(LogText.escaped(reason))"])
        }
    }

    static func tlsMetadata(_ c: PrometheusTLSConfiguration) -> Logger.Metadata {
        var m: Logger.Metadata = ["cert_file": "\(c.certificateFile)", "client_auth": "\(c.clientAuthentication.spelling)",
                                  "min_version": "\(c.minimumVersion.spelling)"]
        if let ca = c.clientCAFile { m["client_ca_file"] = "\(ca)" }
        return m
    }

    /// Stops accepting and closes open connections: idle ones now, busy ones once the response
    /// they are writing is complete.
    public func stop() {
        let server = state.withLock { s -> (any Channel)? in
            s.stopped = true
            return s.server
        }
        server?.close(promise: nil)
        closeAll()
    }

    private func closeAll() {
        let idle = state.withLock { s -> [any Channel] in
            s.stopped = true
            return s.connections.values.filter { !$0.busy }.map(\.channel)
        }
        for c in idle { c.close(promise: nil) }
    }

    /// Marks a connection busy or idle; returns whether the server is stopping.
    private func mark(_ key: ObjectIdentifier, busy: Bool) -> Bool {
        state.withLock { s in
            s.connections[key]?.busy = busy
            return s.stopped
        }
    }


    private func failWaiters(_ reason: String) {
        let waiters = state.withLock { s -> [CheckedContinuation<Int, any Error>] in
            s.bindError = reason
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(throwing: ExporterError.bindFailed(host: configuration.host, port: configuration.port, reason: reason)) }
    }

    /// Registers a new connection, or closes it at once when the server is stopping or already
    /// holds `maxConnections` (counted and logged once). Runs on the channel's event loop.
    /// Returns the key under which `serve` finds it.
    private func track(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) -> ObjectIdentifier {
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        let overLimit = state.withLock { s -> Bool in
            s.unserved[key] = connection
            if s.stopped { return false }
            if s.connections.count >= configuration.maxConnections { return true }
            s.connections[key] = (channel, false)
            return false
        }
        if overLimit {
            refusedConnections.increment()
            if !loggedConnectionLimit.exchange(true, ordering: .relaxed) {
                logger.warning("the metrics endpoint has \(configuration.maxConnections) connections open; further connections are closed at once (counted in agent_telemetry_prometheus_connections_refused_total)")
            }
        }
        return key
    }

    private func serve(_ key: ObjectIdentifier) async {
        let (taken, accepted) = state.withLock { s in
            (s.unserved.removeValue(forKey: key), s.connections[key] != nil && !s.stopped)
        }
        guard let connection = taken else { return }
        defer { state.withLock { _ = $0.connections.removeValue(forKey: key) } }
        do {
            // Every wrapped connection is closed through executeThenClose, whatever happens.
            try await connection.executeThenClose { inbound, _ in
                guard accepted else { return }  // stopping, or over the connection limit: close
                let channel = connection.channel
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                    case .body:
                        continue
                    case .end:
                        guard let h = head else { continue }
                        head = nil
                        _ = self.mark(key, busy: true)
                        let response = await self.respond(to: h)
                        var headers = response.headers
                        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.readableBytes))
                        if !h.isKeepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
                        // Written to the channel directly and awaited until its last byte is in
                        // the kernel (or the write failed), so that:
                        // - the channel is closed (`Connection: close`, stop) only once the whole
                        //   response has left; the outbound writer's `write` returns when a part is
                        //   queued, and closing then discarded what was still pending;
                        // - the next pipelined request is read only once this response has left:
                        //   a peer that does not read gets one response rendered and queued, and
                        //   the kernel takes at most `unsentBytesLimit` of it beyond what the
                        //   peer's receive window holds, whatever it pipelined.
                        channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: h.version, status: response.status, headers: headers)),
                                      promise: nil)
                        if h.method != .HEAD && response.body.readableBytes > 0 {
                            channel.write(HTTPServerResponsePart.body(.byteBuffer(response.body)), promise: nil)
                        }
                        let written = channel.eventLoop.makePromise(of: Void.self)
                        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: written)
                        // A future's `get()` ignores cancellation; closing the channel fails the
                        // write, so a cancelled run() is not held by a peer that never reads.
                        try await withTaskCancellationHandler {
                            try await written.futureResult.get()
                        } onCancel: {
                            channel.close(promise: nil)
                        }
                        let stopping = self.mark(key, busy: false)
                        if !h.isKeepAlive || stopping { return }
                    }
                }
            }
        } catch {
            // A client that resets, sends garbage or times out only loses its own connection.
            logger.debug("metrics connection ended", metadata: ["error": "\(LogText.escaped(String(describing: error)))"])
        }
    }

    /// A socket error in words ("Address already in use"), without NIO's call names and errno.
    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        return String(describing: error)
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds &* 1_000_000_000 &+ c.attoseconds / 1_000_000_000)
    }

    struct Response {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    func respond(to head: HTTPRequestHead) async -> Response {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        let handler = path == configuration.path ? "metrics" : (path == "/health" ? "health" : "other")
        let response = await route(head, path: path)
        scrapes.labels(handler, String(response.status.code)).increment()
        return response
    }

    private func route(_ head: HTTPRequestHead, path: String) async -> Response {
        guard path == configuration.path || path == "/health" else {
            return plain(.notFound, "not found; metrics are at \(configuration.path)\n")
        }
        guard head.method == .GET || head.method == .HEAD else {
            var r = plain(.methodNotAllowed, "method not allowed\n")
            r.headers.add(name: "Allow", value: "GET, HEAD")
            return r
        }
        if path == "/health" {
            let uptime = Double(WallClock.nowNanoseconds() &- started) / 1e9
            let body = "{\"status\":\"ok\",\"families\":\(registry.familyNames.count),\"uptime_seconds\":\(Int(uptime))}\n"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            return Response(status: .ok, headers: headers, body: ByteBuffer(string: body))
        }
        if let auth, !auth.allows(head.headers.first(name: "Authorization")) {
            var r = plain(.unauthorized, "unauthorized\n")
            r.headers.add(name: "WWW-Authenticate", value: auth.challenge)
            return r
        }
        let format = ExpositionFormat.negotiate(accept: head.headers[canonicalForm: "Accept"].map(String.init).joined(separator: ","))
        let gzip = configuration.enableGzip && Self.acceptsGzip(head.headers[canonicalForm: "Accept-Encoding"])
        let variant = ScrapeCoalescer.Variant(openMetrics: format == .openMetrics, gzip: gzip, protobuf: format == .protobuf)
        let body = await coalescer.body(for: variant) { render(format: format, gzip: gzip) }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: format.contentType)
        if body.gzipped { headers.add(name: "Content-Encoding", value: "gzip") }
        headers.add(name: "Vary", value: "Accept, Accept-Encoding")
        return Response(status: .ok, headers: headers, body: body.bytes)
    }

    /// Renders the registry once, gzipped when asked (falling back to plain text if compression fails).
    private func render(format: ExpositionFormat, gzip: Bool) -> ScrapeCoalescer.Body {
        var bytes = buffers.withLock { $0.popLast() } ?? []
        bytes.removeAll(keepingCapacity: true)
        if format == .protobuf {
            PrometheusProtobufEncoder().encode(registry: registry, into: &bytes)
        } else {
            PrometheusTextEncoder(format: format).encode(registry: registry, into: &bytes)
        }
        var body = ByteBuffer(bytes: bytes)
        buffers.withLock { if $0.count < 4 { $0.append(bytes) } }
        if gzip, let compressed = try? body.compress(with: .gzip()) { return .init(bytes: compressed, gzipped: true) }
        return .init(bytes: body, gzipped: false)
    }

    private func plain(_ status: HTTPResponseStatus, _ text: String) -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return Response(status: status, headers: headers, body: ByteBuffer(string: text))
    }

    /// Whether `Accept-Encoding` admits gzip: `gzip` (or `*`) with q above 0, `gzip` taking precedence.
    static func acceptsGzip(_ values: [Substring]) -> Bool {
        let ranges = MediaRange.parse(values.joined(separator: ","))
        if let gzip = ranges.first(where: { $0.type == "gzip" || $0.type == "x-gzip" }) { return gzip.q > 0 }
        if let any = ranges.first(where: { $0.type == "*" }) { return any.q > 0 }
        return false
    }
}

import AgentTelemetry
import AgentTelemetryTestSupport
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing
@testable import AgentTelemetryPrometheus

/// A GET over HTTPS with a client of its own (so every call is a new connection and a new
/// handshake) that trusts `ca` and presents `identity` when given.
func httpsGet(port: Int, path: String = "/metrics", trusting ca: String,
              identity: TestCertificates.Pair? = nil, maximumVersion: TLSVersion? = nil) async throws -> (status: Int, body: String) {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .file(ca)
    tls.maximumTLSVersion = maximumVersion
    if let identity {
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(identity.certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: identity.key, format: .pem))
    }
    var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.timeout.connect = .seconds(5)
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
        let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 << 20)
        try await client.shutdown()
        return (Int(response.status.code), String(buffer: body))
    } catch {
        try? await client.shutdown()
        throw error
    }
}

/// A TLS client that sends one request, reads the whole response, then ends its side with a
/// bare TCP FIN and no close_notify, as some scrapers and probes do; it keeps reading until the
/// server closes the connection.
enum RaggedTLSClient {
    /// Passes everything through; its context closes the socket underneath the TLS handler.
    final class Socket: ChannelDuplexHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
    }

    /// Collects the decrypted response; fulfils `done` once the body announced by
    /// `Content-Length` is whole (or fails it if the connection ends first).
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let done: EventLoopPromise<[UInt8]>
        var bytes: [UInt8] = []
        var finished = false

        init(done: EventLoopPromise<[UInt8]>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
            let (head, body) = RawTCP.split(bytes)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
            if !finished, let length, body.count >= length {
                finished = true
                done.succeed(bytes)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !finished {
                finished = true
                done.fail(ChannelError.eof)
            }
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {}  // the server's close_notify, our own EPIPE
    }

    /// Sends `request`, returns the response once whole, then half-closes without close_notify
    /// and waits (hang guard: the caller's) until the server has closed the connection.
    static func exchange(port: Int, trusting ca: String, request: String) async throws -> String {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        let context = try NIOSSLContext(configuration: tls)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let done = loop.makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(Socket(), name: "socket")
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: "localhost"))
                    try sync.addHandler(Collector(done: done))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        do {
            try await channel.writeAndFlush(ByteBuffer(string: request))
            let response = try await done.futureResult.get()
            try await channel.eventLoop.submit {
                // Underneath the TLS handler: a FIN, never a close_notify.
                try channel.pipeline.syncOperations.context(name: "socket").close(mode: .output, promise: nil)
            }.get()
            try? await channel.closeFuture.get()
            return String(decoding: response, as: UTF8.self)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }
}

/// Runs an exporter with `configuration` (port 0) until `body` returns.
func withTLSExporter<T>(registry: MetricRegistry, configuration: PrometheusExporterConfiguration, logger: Logger,
                        _ body: (PrometheusExporter, Int) async throws -> T) async throws -> T {
    let exporter = try PrometheusExporter(registry: registry, configuration: configuration, logger: logger)
    let task = Task { try await exporter.run() }
    defer { exporter.stop(); task.cancel() }
    let port = try await exporter.waitUntilBound()
    return try await body(exporter, port)
}

/// The `/metrics` endpoint over TLS and mutual TLS, with certificates made by `openssl` per test.
@Suite("The /metrics endpoint over TLS", .serialized,
       .enabled(if: Peers.available(TestCertificates.openssl, "openssl")), .timeLimit(.minutes(5)))
struct TLSEndpointTests {
    static func registry() throws -> MetricRegistry {
        let r = MetricRegistry()
        try r.counter("agent_requests_total", help: "Requests.", labelNames: ["status"]).labels(["200"]).increment(by: 5)
        return r
    }

    static func handshakeFailures(_ r: MetricRegistry) -> Double {
        r.counter(PrometheusExporter.handshakeFailuresMetric).series.value
    }

    /// A directory with a CA, a server pair it signed (at stable paths the tests may overwrite).
    static func pki() async throws -> (TestCertificates, TestCertificates.Authority, TestCertificates.Pair) {
        let pki = try TestCertificates()
        let ca = try await pki.authority("ca")
        let server = try await pki.issue("server", by: ca, for: .server)
        return (pki, ca, server)
    }

    /// What `serving` hands a test: a running TLS endpoint and what it was made with.
    struct Served {
        let exporter: PrometheusExporter
        let port: Int
        let pki: TestCertificates
        let ca: TestCertificates.Authority
        let server: TestCertificates.Pair
        let registry: MetricRegistry
        let logs: LogCapture
    }

    /// Runs an endpoint serving a fresh CA's server certificate (files at stable paths the test
    /// may overwrite) until `body` returns; `adjust` changes the configuration first.
    static func serving(_ adjust: (inout PrometheusExporterConfiguration) -> Void = { _ in },
                        _ body: (Served) async throws -> Void) async throws {
        let (pki, ca, server) = try await pki()
        defer { pki.remove() }
        let registry = try registry()
        let logs = LogCapture()
        var configuration = PrometheusExporterConfiguration(
            port: 0, tls: PrometheusTLSConfiguration(certificateFile: server.certificate, keyFile: server.key,
                                                     reloadInterval: .seconds(3600)))
        adjust(&configuration)
        try await withTLSExporter(registry: registry, configuration: configuration, logger: logs.logger()) { exporter, port in
            try await body(Served(exporter: exporter, port: port, pki: pki, ca: ca, server: server, registry: registry, logs: logs))
        }
    }

    @Test("a client trusting the CA gets the exposition over TLS; plain HTTP on the TLS port gets no answer and is counted")
    func servesTLS() async throws {
        try await Self.serving { t in
            let (port, ca, registry, logs) = (t.port, t.ca, t.registry, t.logs)
            let r = try await httpsGet(port: port, trusting: ca.certificate)
            #expect(r.status == 200)
            #expect(r.body.contains("agent_requests_total{status=\"200\"} 5"))
            #expect(Self.handshakeFailures(registry) == 0)

            let answer = try await RawTCP.exchange(port: port, send: Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(!String(decoding: answer, as: UTF8.self).contains("agent_requests_total"))
            #expect(await eventually(timeout: .seconds(180)) { Self.handshakeFailures(registry) == 1 })
            #expect(logs.warnings.contains { $0.message.contains("TLS handshake failed") })
            #expect(logs.records.contains { $0.message.contains("serving metrics on https://") })
        }
    }

    @Test("with client_auth require, a client without a certificate is refused and logged, one with a certificate is served")
    func mutualTLS() async throws {
        let (pki, ca, server) = try await Self.pki()
        defer { pki.remove() }
        let clientCA = try await pki.authority("clients")
        let client = try await pki.issue("scraper", by: clientCA, for: .client)
        let stranger = try await pki.issue("stranger", by: ca, for: .client)  // a CA the endpoint does not trust for clients
        let registry = try Self.registry()
        let logs = LogCapture()
        let configuration = PrometheusExporterConfiguration(
            port: 0, tls: PrometheusTLSConfiguration(certificateFile: server.certificate, keyFile: server.key,
                                                     clientCAFile: clientCA.certificate))
        #expect(configuration.tls?.clientAuthentication == .require)
        try await withTLSExporter(registry: registry, configuration: configuration, logger: logs.logger()) { _, port in
            await #expect(throws: (any Error).self) { try await httpsGet(port: port, trusting: ca.certificate) }
            #expect(await eventually(timeout: .seconds(180)) { Self.handshakeFailures(registry) >= 1 })
            let refusal = logs.warnings.first { $0.message.contains("TLS handshake failed") }
            #expect(refusal?.metadata["peer"]?.hasPrefix("127.0.0.1:") == true)
            #expect(refusal?.metadata["reason"]?.isEmpty == false)

            await #expect(throws: (any Error).self) { try await httpsGet(port: port, trusting: ca.certificate, identity: stranger) }

            let r = try await httpsGet(port: port, trusting: ca.certificate, identity: client)
            #expect(r.status == 200)
        }
    }

    @Test("50 clients sending garbage or a cut-off handshake to the TLS port: each counted, one warning logged, no connection left open, and TLS still served")
    func garbageFlood() async throws {
        try await Self.serving { t in
            let (exporter, port, ca, registry, logs) = (t.exporter, t.port, t.ca, t.registry, t.logs)
            try await Peers.offPool {
                for i in 0..<40 {
                    let c = try RawConnection(port: port)
                    c.send(Array("not TLS \(i)\r\n\r\n".utf8))
                    _ = c.readAll()  // until the server closes
                    c.close()
                }
                // The start of a handshake record, then the clients give up and close.
                let cut = try (0..<10).map { _ in try RawConnection(port: port) }
                for c in cut { c.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01]) }
                for c in cut { c.close() }
            }
            #expect(await eventually(timeout: .seconds(180)) { Self.handshakeFailures(registry) == 50 })
            #expect(await eventually(timeout: .seconds(180)) { exporter.connectionCount == 0 })
            // Rate limited: the first at once, the rest at debug level within the minute.
            #expect(logs.warnings.filter { $0.message.contains("TLS handshake failed") }.count == 1)
            #expect(try await httpsGet(port: port, trusting: ca.certificate).status == 200)
        }
    }

    @Test("a client that connects and closes without a byte (a TCP probe) is not counted as a failed handshake")
    func probeIsNotAFailure() async throws {
        try await Self.serving { t in
            let (exporter, port, ca, registry, logs) = (t.exporter, t.port, t.ca, t.registry, t.logs)
            try await Peers.offPool { try RawConnection(port: port).close() }
            #expect(await eventually(timeout: .seconds(180)) { exporter.connectionCount == 0 })
            // A real handshake after it is served, so the probe's connection has been handled by then.
            #expect(try await httpsGet(port: port, trusting: ca.certificate).status == 200)
            #expect(Self.handshakeFailures(registry) == 0)
            #expect(logs.warnings.isEmpty)
        }
    }

    @Test("a connection that never completes its handshake is closed after request_head_timeout, and counted")
    func handshakeTimeout() async throws {
        try await Self.serving({ $0.requestHeadTimeout = .milliseconds(300) }) { t in
            let (exporter, port, registry) = (t.exporter, t.port, t.registry)
            let silent = try RawConnection(port: port)
            defer { silent.close() }
            // The idle timeout is 60 s: only the handshake bound can close it this soon.
            #expect(await eventually(timeout: .seconds(180), every: .milliseconds(50)) { silent.peerClosed() })
            #expect(Self.handshakeFailures(registry) == 1)
            #expect(await eventually(timeout: .seconds(180)) { exporter.connectionCount == 0 })
        }
    }

    @Test("rotated certificate files are served to new connections after reloadCertificatesIfChanged, without a restart")
    func rotation() async throws {
        let r = try await Rotation.make(reloadInterval: .seconds(3600))
        defer { r.pki.remove() }
        let (ca, server, nextCA, next, registry) = (r.ca, r.server, r.nextCA, r.next, r.registry)
        try await withTLSExporter(registry: registry, configuration: r.configuration, logger: LogCapture().logger()) { exporter, port in
            #expect(await exporter.reloadCertificatesIfChanged() == .unchanged)
            #expect(try await httpsGet(port: port, trusting: ca.certificate).status == 200)
            await #expect(throws: (any Error).self) { try await httpsGet(port: port, trusting: nextCA.certificate) }

            // What cert-manager does: new files at the same paths.
            try Self.replace(server, with: next)
            #expect(await exporter.reloadCertificatesIfChanged() == .reloaded)

            #expect(try await httpsGet(port: port, trusting: nextCA.certificate).status == 200)
            await #expect(throws: (any Error).self) { try await httpsGet(port: port, trusting: ca.certificate) }
            #expect(registry.counter(PrometheusExporter.certificateReloadFailuresMetric).series.value == 0)
        }
    }

    @Test("a rotation to a key that does not match keeps the previous certificate and is logged once")
    func failedRotation() async throws {
        try await Self.serving { t in
            let (exporter, port, ca, server, registry, logs) = (t.exporter, t.port, t.ca, t.server, t.registry, t.logs)
            let other = try await t.pki.issue("other", by: ca, for: .server)
            let keyPEM = try String(contentsOfFile: other.key, encoding: .utf8)
            try keyPEM.write(toFile: server.key, atomically: true, encoding: .utf8)
            guard case .failed(let reason) = await exporter.reloadCertificatesIfChanged() else {
                Issue.record("a mismatched key was accepted")
                return
            }
            #expect(reason.contains(server.key))
            // Still failing on the next check: tried again, not logged again.
            guard case .failed = await exporter.reloadCertificatesIfChanged() else {
                Issue.record("the second check did not fail")
                return
            }
            let errors = logs.records.filter { $0.level >= .error && $0.message.contains("cannot be used") }
            #expect(errors.count == 1)
            #expect(!logs.text.contains("PRIVATE KEY"), "key material in the log")
            #expect(try await httpsGet(port: port, trusting: ca.certificate).status == 200)
            #expect(registry.counter(PrometheusExporter.certificateReloadFailuresMetric).series.value == 2)
        }
    }

    @Test("the periodic check picks up rotated files by itself (reload_interval)")
    func periodicReload() async throws {
        let r = try await Rotation.make(reloadInterval: .milliseconds(100))
        defer { r.pki.remove() }
        let nextCA = r.nextCA
        try await withTLSExporter(registry: r.registry, configuration: r.configuration, logger: LogCapture().logger()) { _, port in
            try Self.replace(r.server, with: r.next)
            let served = await eventually(timeout: .seconds(180), every: .milliseconds(100)) {
                (try? await httpsGet(port: port, trusting: nextCA.certificate).status) == 200
            }
            #expect(served)
        }
    }

    @Test("TLS 1.2 is the minimum by default; min_version 1.3 refuses a TLS 1.2 client")
    func minimumVersion() async throws {
        try await Self.serving { (t: Served) async throws in
            #expect(try await httpsGet(port: t.port, trusting: t.ca.certificate, maximumVersion: .tlsv12).status == 200)
            await #expect(throws: (any Error).self) { try await httpsGet(port: t.port, trusting: t.ca.certificate, maximumVersion: .tlsv11) }
        }
        try await Self.serving({ $0.tls?.minimumVersion = .tls13 }) { (t: Served) async throws in
            await #expect(throws: (any Error).self) { try await httpsGet(port: t.port, trusting: t.ca.certificate, maximumVersion: .tlsv12) }
            #expect(try await httpsGet(port: t.port, trusting: t.ca.certificate).status == 200)
        }
    }

    @Test("clients that end with a bare FIN and no close_notify after Connection: close: each connection is closed at once, and a stop then returns")
    func raggedCloseIsNotWaitedFor() async throws {
        let (pki, ca, server) = try await Self.pki()
        defer { pki.remove() }
        let configuration = PrometheusExporterConfiguration(
            port: 0, tls: PrometheusTLSConfiguration(certificateFile: server.certificate, keyFile: server.key,
                                                     reloadInterval: .seconds(3600)))
        let exporter = try PrometheusExporter(registry: try Self.registry(), configuration: configuration, logger: LogCapture().logger())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exporter.run() }
            let port = try await exporter.waitUntilBound()
            // One hang guard for all 24 clients. Waiting for each client's close_notify (NIOSSL's
            // 5 s timer, as the endpoint did) would take 120 s; not waiting takes milliseconds
            // each, so only a server that waits for the timer can miss it.
            let deadline = ContinuousClock.now + .seconds(60)
            for i in 1...24 {
                let response = try await RaggedTLSClient.exchange(
                    port: port, trusting: ca.certificate,
                    request: "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                #expect(response.hasPrefix("HTTP/1.1 200 OK"), "client \(i): \(response.prefix(40))")
                #expect(response.contains("agent_requests_total{status=\"200\"} 5"))
                let closed = await eventually(timeout: max(.zero, deadline - ContinuousClock.now)) { exporter.connectionCount == 0 }
                #expect(closed, "client \(i): the server still holds the connection")
                if !closed { break }
            }
            // run() returns once stopped: no connection is left for it to wait on.
            exporter.stop()
            try await group.waitForAll()
        }
    }

    @Test("the served certificate's expiry is exported as a gauge")
    func expiryGauge() async throws {
        try await Self.serving { t in
            let (port, ca, server) = (t.port, t.ca, t.server)
            let r = try await httpsGet(port: port, trusting: ca.certificate)
            let expected = try NIOSSLCertificate.fromPEMFile(server.certificate)[0].notValidAfter
            let line = r.body.split(separator: "\n").first { $0.hasPrefix("agent_telemetry_prometheus_tls_certificate_expiry_timestamp_seconds ") }
            let value: Double? = line.flatMap { $0.split(separator: " ").last }.flatMap { Double(String($0)) }
            #expect(value == Double(expected))
        }
    }

    /// A served pair from `ca`, and the pair from another CA that replaces it.
    struct Rotation {
        let pki: TestCertificates
        let ca: TestCertificates.Authority
        let server: TestCertificates.Pair
        let nextCA: TestCertificates.Authority
        let next: TestCertificates.Pair
        let registry: MetricRegistry
        let configuration: PrometheusExporterConfiguration

        static func make(reloadInterval: Duration) async throws -> Rotation {
            let (pki, ca, server) = try await TLSEndpointTests.pki()
            let nextCA = try await pki.authority("next-ca")
            let next = try await pki.issue("next", by: nextCA, for: .server)
            let configuration = PrometheusExporterConfiguration(
                port: 0, tls: PrometheusTLSConfiguration(certificateFile: server.certificate, keyFile: server.key,
                                                         reloadInterval: reloadInterval))
            return Rotation(pki: pki, ca: ca, server: server, nextCA: nextCA, next: next,
                            registry: try TLSEndpointTests.registry(), configuration: configuration)
        }
    }

    /// Writes `new`'s certificate and key over `old`'s files (new inodes, as a rename does).
    static func replace(_ old: TestCertificates.Pair, with new: TestCertificates.Pair) throws {
        try String(contentsOfFile: new.certificate, encoding: .utf8).write(toFile: old.certificate, atomically: true, encoding: .utf8)
        try String(contentsOfFile: new.key, encoding: .utf8).write(toFile: old.key, atomically: true, encoding: .utf8)
    }
}

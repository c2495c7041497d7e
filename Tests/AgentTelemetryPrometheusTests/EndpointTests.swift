import AgentTelemetry
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryPrometheus

/// Runs an exporter on a free loopback port for the duration of `body`.
///
/// With `ownEventLoop`, the endpoint runs on an event loop thread of its own instead of NIO's
/// shared one: the flood tests keep their event loop busy for seconds, and on the shared loops
/// that delayed every other test's connections running beside them in the same process (an
/// OTLP connect attempt of 300 ms took over 12 s in a loaded run).
func withExporter<T>(
    registry: MetricRegistry, configuration: PrometheusExporterConfiguration = .init(port: 0),
    ownEventLoop: Bool = false,
    _ body: (Int) async throws -> T
) async throws -> T {
    let group: MultiThreadedEventLoopGroup? = ownEventLoop ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
    let exporter = try PrometheusExporter(registry: registry, configuration: configuration,
                                      eventLoopGroup: group ?? MultiThreadedEventLoopGroup.singleton)
    let task = Task { try await exporter.run() }
    // Stopped and cancelled as before; with its own loop, the test waits for run() to return
    // (cancellation closes what is still open at once) before shutting the loop down.
    func end() async {
        exporter.stop()
        task.cancel()
        if let group {
            _ = try? await task.value
            try? await group.shutdownGracefully()
        }
    }
    do {
        let port = try await exporter.waitUntilBound()
        let result = try await body(port)
        await end()
        return result
    } catch {
        await end()
        throw error
    }
}

@Suite("The /metrics endpoint")
struct EndpointTests {
    static func registry() throws -> MetricRegistry {
        let r = MetricRegistry()
        try r.counter("agent_requests_total", help: "Requests.", labelNames: ["status"]).labels(["200"]).increment(by: 5)
        return r
    }

    @Test("port 0 picks a free port and GET /metrics answers the exposition with the 0.0.4 content type")
    func getMetrics() async throws {
        try await withExporter(registry: Self.registry()) { port in
            #expect(port > 0)
            let r = try await get("http://127.0.0.1:\(port)/metrics")
            #expect(r.status == 200)
            #expect(r.headers.first(name: "Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(String(decoding: r.body, as: UTF8.self).contains("agent_requests_total{status=\"200\"} 5\n"))
        }
    }

    @Test("Accept: application/openmetrics-text gets OpenMetrics ending with # EOF")
    func openMetrics() async throws {
        try await withExporter(registry: Self.registry()) { port in
            let r = try await get("http://127.0.0.1:\(port)/metrics", headers: [("Accept", "application/openmetrics-text; version=1.0.0")])
            #expect(r.headers.first(name: "Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(String(decoding: r.body, as: UTF8.self).hasSuffix("# EOF\n"))
        }
    }

    @Test("Accept-Encoding: gzip gets a gzip body that inflates to the exposition")
    func gzip() async throws {
        try await withExporter(registry: Self.registry()) { port in
            // A raw client, so that nothing inflates the body before the test sees it.
            let raw = try await RawTCP.exchange(port: port, send: Array("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".utf8))
            let (head, body) = RawTCP.split(raw)
            #expect(head.contains("\r\nContent-Encoding: gzip\r\n"))
            #expect(Array(body.prefix(2)) == [0x1F, 0x8B], "gzip magic number")
            let gunzip = try await Peers.run(Peers.which("gzip") ?? "/bin/gzip", ["-dc"], stdin: Data(body))
            #expect(gunzip.stdout.contains("agent_requests_total{status=\"200\"} 5"))
        }
    }

    @Test("HEAD returns the headers of GET and no body")
    func head() async throws {
        try await withExporter(registry: Self.registry()) { port in
            // The first scrape creates the endpoint's own request counter; after it, bodies keep their length.
            _ = try await get("http://127.0.0.1:\(port)/metrics")
            let raw = try await RawTCP.exchange(port: port, send: Array("HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            let g = try await get("http://127.0.0.1:\(port)/metrics")
            let (head, body) = RawTCP.split(raw)
            #expect(head.hasPrefix("HTTP/1.1 200 OK"))
            #expect(head.contains("\r\nContent-Length: \(g.body.count)\r\n"))
            #expect(body.isEmpty)
        }
    }

    @Test("GET /health answers 200 with a JSON status")
    func health() async throws {
        try await withExporter(registry: Self.registry()) { port in
            let r = try await get("http://127.0.0.1:\(port)/health")
            #expect(r.status == 200)
            #expect(r.headers.first(name: "Content-Type") == "application/json")
            let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
            #expect(json?["status"] as? String == "ok")
        }
    }

    @Test("other paths get 404 and other methods get 405 with Allow")
    func notFoundAndMethod() async throws {
        try await withExporter(registry: Self.registry()) { port in
            #expect(try await get("http://127.0.0.1:\(port)/nope").status == 404)
            let post = try await get("http://127.0.0.1:\(port)/metrics", method: .POST)
            #expect(post.status == 405)
            #expect(post.headers.first(name: "Allow") == "GET, HEAD")
        }
    }

    @Test("a configured path and host are honoured")
    func customPath() async throws {
        try await withExporter(registry: Self.registry(), configuration: .init(host: "127.0.0.1", port: 0, path: "/internal/prom")) { (port: Int) async throws in
            #expect(try await get("http://127.0.0.1:\(port)/internal/prom").status == 200)
            #expect(try await get("http://127.0.0.1:\(port)/metrics").status == 404)
        }
    }

    @Test("bearer auth: missing or wrong token gets 401 with WWW-Authenticate, the right one gets 200")
    func bearer() async throws {
        try await withExporter(registry: Self.registry(), configuration: .init(port: 0, authentication: .bearer(token: "s3cret"))) { port in
            let none = try await get("http://127.0.0.1:\(port)/metrics")
            #expect(none.status == 401)
            #expect(none.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await get("http://127.0.0.1:\(port)/metrics", headers: [("Authorization", "Bearer s3cres")]).status == 401)
            #expect(try await get("http://127.0.0.1:\(port)/metrics", headers: [("Authorization", "Bearer s3cret")]).status == 200)
            #expect(try await get("http://127.0.0.1:\(port)/health").status == 200, "health stays open for probes")
        }
    }

    @Test("basic auth accepts exactly user:password")
    func basic() async throws {
        try await withExporter(registry: Self.registry(), configuration: .init(port: 0, authentication: .basic(username: "prom", password: "pa:ss"))) { port in
            // base64("prom:pa:ss") = cHJvbTpwYTpzcw==
            #expect(try await get("http://127.0.0.1:\(port)/metrics", headers: [("Authorization", "Basic cHJvbTpwYTpzcw==")]).status == 200)
            let wrong = try await get("http://127.0.0.1:\(port)/metrics", headers: [("Authorization", "Basic cHJvbTpwYXNz")])
            #expect(wrong.status == 401)
            #expect(wrong.headers.first(name: "WWW-Authenticate")?.hasPrefix("Basic") == true)
        }
    }

    @Test("invalid configuration is refused when the exporter is created, before binding, naming the field")
    func invalidConfiguration() {
        #expect { try PrometheusExporter(registry: MetricRegistry(), configuration: .init(port: 70000, path: "metrics")) } throws: { error in
            let text = String(describing: error)
            return text.contains("port: 70000") && text.contains("path: \"metrics\"")
        }
    }

    @Test("a port already in use is a clear bind error")
    func portInUse() async throws {
        try await withExporter(registry: MetricRegistry()) { port in
            let second = try PrometheusExporter(registry: MetricRegistry(), configuration: .init(port: port))
            await #expect { try await second.run() } throws: { String(describing: $0).contains("cannot listen on 127.0.0.1:\(port)") }
        }
    }
}

@Suite("Bad clients do not hurt good scrapes")
struct HostileClientTests {
    @Test("a 1 MB header gets 431 and the server keeps answering")
    func hugeHeader() async throws {
        try await withExporter(registry: EndpointTests.registry()) { port in
            let junk = String(repeating: "x", count: 1 << 20)
            let raw = try await RawTCP.exchange(port: port, send: Array("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(junk)\r\n\r\n".utf8))
            #expect(String(decoding: raw.prefix(40), as: UTF8.self).hasPrefix("HTTP/1.1 431"))
            #expect(try await get("http://127.0.0.1:\(port)/metrics").status == 200)
        }
    }

    @Test("random bytes get 400 or a closed connection, and the server keeps answering")
    func garbage() async throws {
        try await withExporter(registry: EndpointTests.registry()) { port in
            var rng = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let raw = try await RawTCP.exchange(port: port, send: bytes)
                let text = String(decoding: raw.prefix(12), as: UTF8.self)
                #expect(raw.isEmpty || text.hasPrefix("HTTP/1.1 4"), "got \(text)")
            }
            #expect(try await get("http://127.0.0.1:\(port)/metrics").status == 200)
        }
    }

    @Test("an idle connection is closed after the idle timeout")
    func idleTimeout() async throws {
        try await withExporter(registry: EndpointTests.registry(), configuration: .init(port: 0, idleTimeout: .milliseconds(300))) { port in
            let start = ContinuousClock.now
            let raw = try await RawTCP.exchange(port: port, send: [], readTimeoutSeconds: 120)
            #expect(raw.isEmpty)
            // The client would wait 120 s; the server's 300 ms idle timeout closes it long before
            // (the margin is for a loaded machine).
            #expect(ContinuousClock.now - start < .seconds(60), "closed by the server, not by the client's read timeout")
        }
    }
}

import AgentTelemetry
import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryPrometheus

/// The endpoint under attack: it degrades, it does not die, and `/health` stays answerable.
@Suite("The /metrics endpoint under attack", .serialized)
struct EndpointResilienceTests {
    static let request = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    static func registry(series: Int = 300) throws -> MetricRegistry {
        let r = MetricRegistry()
        let family = try r.counter("agent_tool_executions_total", help: "Tools.", labelNames: ["tool"])
        for i in 0..<series { family.labels("tool\(i)").increment(by: i) }
        return r
    }

    @Test("stopping while hundreds of connections are mid-request never crashes and always ends (20 rounds)")
    func stopWithOpenConnections() async throws {
        let registry = try Self.registry()
        for _ in 0..<20 {
            let exporter = PrometheusExporter(registry: registry, configuration: .init(port: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await exporter.run() }
                let port = try await exporter.waitUntilBound()
                // 300 clients send a request and never read; half of them also leave a second one half-sent.
                let clients = try await Peers.offPool {
                    try (0..<300).map { i -> RawConnection in
                        let c = try RawConnection(port: port)
                        c.send(Self.request + (i % 2 == 0 ? Array("GET /met".utf8) : []))
                        return c
                    }
                }
                exporter.stop()
                // run() returns: every accepted connection was closed through executeThenClose.
                try await group.waitForAll()
                try await Peers.offPool { for c in clients { c.close() } }
            }
        }
    }

    @Test("a request followed at once by FIN (half-close) gets its answer")
    func halfClose() async throws {
        try await withExporter(registry: Self.registry()) { port in
            let answers = try await Peers.offPool {
                try (0..<20).map { _ -> [UInt8] in
                    let c = try RawConnection(port: port)
                    c.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                    c.shutdownWrite()
                    return c.readAll()
                }
            }
            for raw in answers {
                #expect(String(decoding: raw.prefix(15), as: UTF8.self) == "HTTP/1.1 200 OK")
            }
        }
    }

    @Test("300 connections pipelining 20 scrapes each and never reading: /health keeps answering, the flood is coalesced")
    func pipelinedFloodKeepsHealthAnswering() async throws {
        let registry = try Self.registry(series: 2_000)
        try await withExporter(registry: registry) { port in
            let flood = Array((0..<20).flatMap { _ in Self.request })
            let clients = try await Peers.offPool {
                try (0..<300).map { _ -> RawConnection in
                    let c = try RawConnection(port: port)
                    c.send(flood)
                    return c
                }
            }
            defer { for c in clients { c.close() } }
            // While the flood is queued, health checks still answer, each within a bound that
            // only a stalled server would miss.
            for _ in 0..<10 {
                let start = ContinuousClock.now
                let health = try await get("http://127.0.0.1:\(port)/health")
                #expect(health.status == 200)
                // Unflooded it answers in milliseconds; the old endpoint left it unanswered for ~35 s.
                // The bound leaves room for a machine whose every core is busy.
                #expect(ContinuousClock.now - start < .seconds(15), "health took \(ContinuousClock.now - start)")
            }
            let scrapes = registry.snapshot().family(named: "agent_telemetry_prometheus_requests_total")?.series
                .filter { $0.labels["handler"] == "metrics" }.count ?? 0
            #expect(scrapes <= 1, "one series for the metrics handler")
        }
    }

    @Test("concurrent scrapes of one variant share a single render")
    func scrapesAreCoalesced() async throws {
        let coalescer = ScrapeCoalescer()
        let variant = ScrapeCoalescer.Variant(openMetrics: false, gzip: false)
        final class Renders: Sendable { let count = Atomic<Int>(0) }
        let renders = Renders()
        let release = DispatchSemaphore(value: 0)
        let bodies = await withTaskGroup(of: ByteBuffer.self) { group in
            group.addTask {
                await coalescer.body(for: variant) {
                    renders.count.wrappingAdd(1, ordering: .relaxed)
                    release.wait()  // the render is slow: everyone else arrives meanwhile
                    return .init(bytes: ByteBuffer(string: "rendered once"), gzipped: false)
                }.bytes
            }
            for _ in 0..<49 {
                group.addTask {
                    // Join only once the leader is rendering, so every one of them can share it.
                    while coalescer.waiting(for: variant) == 0 && renders.count.load(ordering: .relaxed) == 0 { await Task.yield() }
                    return await coalescer.body(for: variant) {
                        renders.count.wrappingAdd(1, ordering: .relaxed)
                        return .init(bytes: ByteBuffer(string: "rendered again"), gzipped: false)
                    }.bytes
                }
            }
            while coalescer.waiting(for: variant) < 49 { await Task.yield() }
            release.signal()
            return await group.reduce(into: [ByteBuffer]()) { $0.append($1) }
        }
        #expect(renders.count.load(ordering: .relaxed) == 1)
        #expect(bodies.count == 50)
        #expect(bodies.allSatisfy { String(buffer: $0) == "rendered once" })
    }

    @Test("a client trickling its request head is cut at the head deadline, however often it sends a byte")
    func slowlorisIsCut() async throws {
        let configuration = PrometheusExporterConfiguration(port: 0, idleTimeout: .seconds(30), requestHeadTimeout: .milliseconds(500))
        try await withExporter(registry: Self.registry(), configuration: configuration) { port in
            let outcome = try await Peers.offPool { () -> (closed: Bool, sentBytes: Int) in
                let c = try RawConnection(port: port)
                var sent = 0
                // One byte every 50 ms keeps the idle timer (30 s) from ever firing; only the head
                // deadline can end this. Give up after 20 s (the deadline is 0.5 s).
                for byte in Array("GET /metrics HTTP/1.1\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 400) {
                    if c.peerClosed() { return (true, sent) }
                    if c.send([byte]) == 0 { return (true, sent) }
                    sent += 1
                    usleep(50_000)
                }
                return (c.peerClosed(), sent)
            }
            #expect(outcome.closed, "the server kept a trickling connection open")
            #expect(outcome.sentBytes < 200, "cut after \(outcome.sentBytes) bytes")
            #expect(try await get("http://127.0.0.1:\(port)/health").status == 200)
        }
    }

    @Test("beyond max_connections new connections are closed at once and counted; /health still answers")
    func connectionLimit() async throws {
        let registry = try Self.registry()
        let exporter = PrometheusExporter(registry: registry, configuration: .init(port: 0, maxConnections: 20))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exporter.run() }
            defer { exporter.stop() }
            let port = try await exporter.waitUntilBound()
            let held = try await Peers.offPool { try (0..<20).map { _ in try RawConnection(port: port) } }
            defer { for c in held { c.close() } }
            // Connections are registered as they are accepted: wait until the 20 are in.
            #expect(await eventually(timeout: .seconds(20)) { exporter.connectionCount == 20 })
            let extra = try await Peers.offPool { () -> [UInt8] in
                let c = try RawConnection(port: port)
                c.send(Self.request)
                return c.readAll()
            }
            #expect(extra.isEmpty, "the 21st connection is closed without an answer")
            let refused: Double = {
                guard case .counter(let v)? = registry.snapshot().family(named: "agent_telemetry_prometheus_connections_refused_total")?.series.first?.value else { return 0 }
                return v
            }()
            #expect(refused >= 1)
            for c in held { c.close() }
            // Once the held connections are gone, new ones are served again.
            #expect(await eventually(timeout: .seconds(20)) { (try? await get("http://127.0.0.1:\(port)/health").status) == 200 })
            exporter.stop()
            try await group.waitForAll()
        }
    }

    @Test("1,000 concurrent scrapes while 8 tasks emit: every scrape succeeds and counts never go backwards")
    func concurrentScrapes() async throws {
        // A buffer large enough that no event is dropped, so the final count is exact.
        let t = try Telemetry(configuration: .init(bus: .init(capacity: 1_000_000, subscriberCapacity: 1_000_000))).started()
        try await withExporter(registry: t.registry) { port in
            let emitting = Task {
                await withTaskGroup(of: Void.self) { g in
                    for p in 0..<8 {
                        g.addTask {
                            for i in 0..<20_000 {
                                t.emit(ToolExecuted(tool: "tool\(p)", vertical: .coding, outcome: i % 10 == 0 ? .failure : .success, duration: .milliseconds(i % 50)))
                            }
                        }
                    }
                }
            }
            let results = try await withThrowingTaskGroup(of: Int.self) { g in
                for _ in 0..<1_000 {
                    g.addTask { try await get("http://127.0.0.1:\(port)/metrics").status }
                }
                return try await g.reduce(into: [Int]()) { $0.append($1) }
            }
            await emitting.value
            #expect(results.count == 1_000)
            #expect(results.allSatisfy { $0 == 200 })
            await t.flush()
            let final = String(decoding: try await get("http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
            #expect(final.contains("agent_tool_executions_total{tool=\"tool3\",vertical=\"coding\",outcome=\"failure\"} 2000\n"),
                    "\(final.split(separator: "\n").filter { $0.contains("tool3") || $0.contains("dropped") }.prefix(8))")
        }
        await t.shutdown()
    }
}

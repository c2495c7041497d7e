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

    static func registry(series: Int = 300, labelPadding: Int = 0) throws -> MetricRegistry {
        let r = MetricRegistry(cardinalityLimit: max(2000, series))
        let family = try r.counter("agent_tool_executions_total", help: "Tools.", labelNames: ["tool"])
        let padding = String(repeating: "x", count: labelPadding)
        for i in 0..<series { family.labels("tool\(i)\(padding)").increment(by: i) }
        return r
    }

    /// A client for correctness tests: its only deadlines are hang guards, far beyond what a
    /// loaded machine needs, and its pool queues requests without a limit of its own.
    static let patientClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(60), read: .seconds(120))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A GET through ``patientClient``, bounded only by a 5-minute hang guard.
    static func patientGet(_ url: String) async throws -> (status: Int, body: Data) {
        let response = try await patientClient.execute(HTTPClientRequest(url: url), timeout: .minutes(5))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(buffer: body))
    }

    /// Responses the endpoint has produced for the metrics path (each one rendered or taken
    /// from a shared render, then queued for writing).
    static func metricsResponses(_ registry: MetricRegistry) -> Double {
        registry.snapshot().family(named: "agent_telemetry_prometheus_requests_total")?.series
            .filter { $0.labels["handler"] == "metrics" }
            .reduce(0) { sum, series in
                guard case .counter(let v) = series.value else { return sum }
                return sum + v
            } ?? 0
    }

    @Test("stopping while hundreds of connections are mid-request never crashes and always ends (20 rounds)")
    func stopWithOpenConnections() async throws {
        let registry = try Self.registry()
        for _ in 0..<20 {
            let exporter = try PrometheusExporter(registry: registry, configuration: .init(port: 0))
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

    @Test("400 connections pipelining 20 scrapes each and never reading: each gets one response queued, not twenty, and /health keeps answering")
    func pipelinedFloodKeepsHealthAnswering() async throws {
        // About 500 KB of exposition: more than a flooder's receive window (64 KiB asked, the
        // kernel doubles it) and the server's unsent-bytes limit (64 KiB) together, so the first
        // answer to a client that never reads is never all taken by the kernel.
        let registry = try Self.registry(series: 2_000, labelPadding: 200)
        let flooders = 400
        try await withExporter(registry: registry, ownEventLoop: true) { port in
            let flood = Array((0..<20).flatMap { _ in Self.request })
            let clients = try await Peers.offPool {
                try (0..<flooders).map { _ -> RawConnection in
                    let c = try RawConnection(port: port, receiveBufferBytes: 64 * 1024)
                    c.send(flood)
                    return c
                }
            }
            defer { for c in clients { c.close() } }
            // Every flooder has had its first request answered (hang guard only): the flood is
            // in its steady state, each connection stalled with 19 requests pending.
            let started = await eventually(timeout: .seconds(120), every: .milliseconds(50)) {
                Self.metricsResponses(registry) >= Double(flooders)
            }
            #expect(started, "only \(Self.metricsResponses(registry)) of \(flooders) flooders were answered")
            // Health checks on new connections, as probes make them; the read timeout is a hang
            // guard (the old endpoint left /health unanswered for 6 to 32 s with 1,000 flooders).
            var latencies: [Duration] = []
            for _ in 0..<10 {
                let start = ContinuousClock.now
                let answer = try await RawTCP.exchange(
                    port: port, send: Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), readTimeoutSeconds: 60)
                latencies.append(ContinuousClock.now - start)
                #expect(String(decoding: answer.prefix(15), as: UTF8.self) == "HTTP/1.1 200 OK")
            }
            // What the flood cost: a connection is read again only once its answer has left, so
            // a client that never reads had one answer produced, not one per pipelined request
            // (the old endpoint produced nearly all 20 of each, gigabytes into the kernel). Two
            // per connection leaves room for a kernel that takes one whole answer.
            let produced = Self.metricsResponses(registry)
            #expect(produced <= Double(2 * flooders), "\(produced) responses produced for \(flooders) flooders")
            print("pipelined flood: \(flooders) connections, \(Int(produced)) metrics responses produced; /health latencies \(latencies)")
            // A well-behaved scrape is answered too.
            #expect(try await Self.patientGet("http://127.0.0.1:\(port)/metrics").status == 200)
        }
    }

    /// How many lines of `text` start with `prefix`.
    static func lineStarts(of prefix: [UInt8], in text: [UInt8]) -> Int {
        var count = 0
        var lineStart = 0
        while lineStart < text.count {
            if text.count - lineStart >= prefix.count && text[lineStart..<(lineStart + prefix.count)].elementsEqual(prefix) { count += 1 }
            guard let newline = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            lineStart = newline + 1
        }
        return count
    }

    @Test("a response of more than 5 MB with Connection: close reaches a slow reader whole, 20 times out of 20")
    func largeResponseIsNotCutShort() async throws {
        // 20,000 series with 300-byte label values: about 6.5 MB of exposition.
        let registry = try Self.registry(series: 20_000, labelPadding: 300)
        try await withExporter(registry: registry, ownEventLoop: true) { port in
            for attempt in 1...20 {
                // A slow reader: a small receive window, read 4 KB at a time, until the server
                // closes (the read timeout is a hang guard only).
                let raw = try await Peers.offPool { () -> [UInt8] in
                    let c = try RawConnection(port: port, readTimeoutSeconds: 60, receiveBufferBytes: 16 * 1024)
                    defer { c.close() }
                    c.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                    return c.readAll(chunkSize: 4096)
                }
                let (head, body) = RawTCP.split(raw)
                let announced = head.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
                #expect(head.hasPrefix("HTTP/1.1 200 OK"), "attempt \(attempt): \(head.prefix(80))")
                #expect((announced ?? 0) > 5_000_000, "attempt \(attempt): Content-Length \(String(describing: announced))")
                #expect(body.count == announced, "attempt \(attempt): \(body.count) of \(announced ?? -1) bytes arrived before the server closed")
                // The body is the whole exposition: it ends a line, and every series is in it
                // (counted on the bytes: splitting 6.5 MB into strings 20 times loaded the machine
                // for the tests running beside this one).
                #expect(body.last == UInt8(ascii: "\n"), "attempt \(attempt): the body ends mid-line")
                let series = Self.lineStarts(of: Array("agent_tool_executions_total{".utf8), in: body)
                #expect(series == 20_000, "attempt \(attempt): \(series) series")
                if body.count != announced { break }  // one cut response says it all
            }
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
        let exporter = try PrometheusExporter(registry: registry, configuration: .init(port: 0, maxConnections: 20))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await exporter.run() }
            defer { exporter.stop() }
            let port = try await exporter.waitUntilBound()
            let held = try await Peers.offPool { try (0..<20).map { _ in try RawConnection(port: port) } }
            defer { for c in held { c.close() } }
            // Connections are registered as they are accepted: wait until the 20 are in.
            #expect(await eventually(timeout: .seconds(180)) { exporter.connectionCount == 20 })
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
            #expect(await eventually(timeout: .seconds(180)) { (try? await get("http://127.0.0.1:\(port)/health").status) == 200 })
            exporter.stop()
            try await group.waitForAll()
        }
    }

    @Test("1,000 concurrent scrapes while 8 tasks emit: every scrape succeeds and counts never go backwards")
    func concurrentScrapes() async throws {
        // A buffer large enough that no event is dropped, so the final count is exact.
        let t = try Telemetry(configuration: .init(bus: .init(capacity: 1_000_000, subscriberCapacity: 1_000_000))).started()
        try await withExporter(registry: t.registry, ownEventLoop: true) { port in
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
                    // Correctness, not speed: the client's only deadlines are hang guards, so a
                    // machine busy with builds cannot fail it (10 s per request through the shared
                    // client's 8-connection pool once did, while two builds ran beside it).
                    g.addTask { try await Self.patientGet("http://127.0.0.1:\(port)/metrics").status }
                }
                return try await g.reduce(into: [Int]()) { $0.append($1) }
            }
            await emitting.value
            #expect(results.count == 1_000)
            #expect(results.allSatisfy { $0 == 200 })
            await t.flush()
            let final = String(decoding: try await Self.patientGet("http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
            #expect(final.contains("agent_tool_executions_total{tool=\"tool3\",vertical=\"coding\",outcome=\"failure\"} 2000\n"),
                    "\(final.split(separator: "\n").filter { $0.contains("tool3") || $0.contains("dropped") }.prefix(8))")
        }
        await t.shutdown()
    }
}

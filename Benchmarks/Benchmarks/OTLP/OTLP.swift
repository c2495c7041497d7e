// OTLP encode + gzip (issue 10 item 4, issue 16 goal 4), two paths:
//
// - `OTLP/encode_*`: `OTLPRequestEncoder.encode(snapshot)` alone — data points + protobuf + gzip
//   from a snapshot taken in setup, what the Python SDK figure measures (it starts from collected
//   metrics data too).
// - `OTLP/export_*`: `OTLPExporter.forceFlush()` — registry snapshot + protobuf encoding + gzip +
//   one HTTP/1.1 POST over loopback to an in-process no-op sink (SwiftNIO, replies 200 with an
//   empty body), an upper bound of encode+gzip.
// The `none` variants skip gzip, so gzip's share can be read off the difference.
// Layout: 10 counter instruments, N/10 data points each, attributes {path, code};
// python/otlp_encode.py builds the same layout for the Python SDK.
import AgentTelemetry
import AgentTelemetryOTLP
import Benchmark
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Accepts any request, discards the body, answers 200 with an empty protobuf body.
final class SinkHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: "application/x-protobuf")
            headers.add(name: "content-length", value: "0")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

final class Sink: Sendable {
    static let shared = Sink()
    let port: Int
    let channel: any Channel
    init() {
        channel = try! ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture {
                    try ch.pipeline.syncOperations.configureHTTPServerPipeline()
                    try ch.pipeline.syncOperations.addHandler(SinkHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = channel.localAddress!.port!
    }
}

final class Fixtures: Sendable {
    static let shared = Fixtures()
    let exporters = Mutex<[String: OTLPExporter]>([:])
    let snapshots = Mutex<[String: MetricsSnapshot]>([:])
}

func buildRegistry(points n: Int) -> MetricRegistry {
    let registry = MetricRegistry(cardinalityLimit: 1_000_000)
    let perFamily = n / 10
    for f in 0..<10 {
        let family = try! registry.counter("bench_requests_\(f)_total", help: "Requests handled, family \(f).", labelNames: ["path", "code"])
        for i in 0..<perFamily { family.labels(["/api/v1/item/\(i)", "200"]).increment(by: (i &* 7) % 1000 + 1) }
    }
    return registry
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: .seconds(3),
        maxIterations: 20
    )
    for n in [10_000, 100_000] {
        for compression in [OTLPCompression.gzip, .none] {
            let key = "\(n / 1000)k_\(compression.rawValue)"
            Benchmark("OTLP/encode_\(key)/ours") { benchmark in
                let snapshot = Fixtures.shared.snapshots.withLock { $0[key]! }
                let encoder = OTLPRequestEncoder(configuration: .init(
                    compression: compression, maxDataPointsPerRequest: 1_000_000,
                    serviceName: "bench", serviceInstanceID: "bench-1"))
                benchmark.startMeasurement()
                do { blackHole(try encoder.encode(snapshot).count) } catch { benchmark.error("encode failed: \(error)") }
                benchmark.stopMeasurement()
            } setup: {
                let snapshot = buildRegistry(points: n).snapshot()
                Fixtures.shared.snapshots.withLock { $0[key] = snapshot }
            } teardown: {
                _ = Fixtures.shared.snapshots.withLock { $0.removeValue(forKey: key) }
            }
            Benchmark("OTLP/export_\(key)/ours") { benchmark in
                let exporter = Fixtures.shared.exporters.withLock { $0[key]! }
                benchmark.startMeasurement()
                do { try await exporter.forceFlush() } catch { benchmark.error("export failed: \(error)") }
                benchmark.stopMeasurement()
            } setup: {
                let registry = buildRegistry(points: n)
                let exporter = try OTLPExporter(registry: registry, configuration: .init(
                    endpoint: "http://127.0.0.1:\(Sink.shared.port)", compression: compression,
                    maxDataPointsPerRequest: 1_000_000, serviceName: "bench", serviceInstanceID: "bench-1"))
                Fixtures.shared.exporters.withLock { $0[key] = exporter }
            } teardown: {
                _ = Fixtures.shared.exporters.withLock { $0.removeValue(forKey: key) }
            }
        }
    }
}

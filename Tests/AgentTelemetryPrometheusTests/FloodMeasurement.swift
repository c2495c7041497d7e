import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Synchronization
import Testing
@testable import AgentTelemetryPrometheus

/// The flood measurement runs by hand only; says so when skipped, in the form every skip line uses.
let floodMeasurementRequested: Bool = {
    let on = ProcessInfo.processInfo.environment["AGENT_TELEMETRY_MEASURE_FLOOD"] == "1"
    if !on { print("SKIPPED: the /health flood measurement is not requested; run it with AGENT_TELEMETRY_MEASURE_FLOOD=1") }
    return on
}()

/// A measurement, not a specification: how long `/health` takes while 1,000 connections each
/// pipeline 20 scrapes of a 500 KB exposition and never read. Run by hand with
/// `AGENT_TELEMETRY_MEASURE_FLOOD=1 swift test --skip-build --filter FloodMeasurement`; it prints
/// the probe latencies (timed on the probing thread itself, so the test's own task scheduling is
/// not counted). It asserts only that every probe is answered: timings decide nothing here.
@Suite("Measurement: /health under a pipelined flood",
       .enabled(if: floodMeasurementRequested))
struct FloodMeasurement {
    @Test("1,000 never-reading connections x 20 pipelined scrapes; /health probed every 100 ms for 15 s from the flood's start")
    func healthUnderFlood() async throws {
        let registry = try EndpointResilienceTests.registry(series: 2_000, labelPadding: 200)
        try await withExporter(registry: registry) { port in
            let flood = Array((0..<20).flatMap { _ in EndpointResilienceTests.request })
            let clients = Mutex<[RawConnection]>([])
            let floodStart = ContinuousClock.now
            async let built: Void = Peers.offPool {
                for _ in 0..<1_000 {
                    let c = try RawConnection(port: port)
                    c.send(flood)
                    clients.withLock { $0.append(c) }
                }
            }
            let probes = try await Peers.offPool { () -> [(at: Duration, took: Duration, ok: Bool)] in
                var probes: [(at: Duration, took: Duration, ok: Bool)] = []
                while ContinuousClock.now - floodStart < .seconds(15) {
                    let start = ContinuousClock.now
                    let c = try RawConnection(port: port, readTimeoutSeconds: 60)
                    c.send(Array("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
                    let answer = c.readAll()
                    c.close()
                    probes.append((start - floodStart, ContinuousClock.now - start, answer.starts(with: Array("HTTP/1.1 200".utf8))))
                    usleep(100_000)
                }
                return probes
            }
            try await built
            defer { clients.withLock { for c in $0 { c.close() } } }
            let allAnswered = probes.allSatisfy { $0.ok }
            #expect(allAnswered, "a health probe got no 200")
            let sorted = probes.map(\.took).sorted()
            let slow = probes.filter { $0.took > .milliseconds(200) }.map { "at +\($0.at): \($0.took)" }
            print("flood measurement: \(probes.count) probes, median \(sorted[sorted.count / 2]), max \(sorted.last ?? .zero); over 200 ms: \(slow); metrics responses produced: \(EndpointResilienceTests.metricsResponses(registry))")
        }
    }
}

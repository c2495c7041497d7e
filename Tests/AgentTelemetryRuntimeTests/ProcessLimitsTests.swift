import AgentTelemetry
import AgentTelemetryTesting
import Foundation
import Testing
@testable import AgentTelemetryRuntime

/// `metrics.process_memory_limit` and `metrics.process_cpu_limit`: the budgets the process
/// sampler's ratios divide by outside a container (issue 30, item 4).
@Suite("Configuration: declared process limits")
struct ProcessLimitsTests {
    static func load(_ yaml: String) throws(ConfigurationIssues) -> RuntimeConfiguration {
        try ConfigurationLoader.load(yaml: yaml, source: "agent.yaml", environment: [:])
    }

    @Test("sizes are read in binary and decimal units or as bytes, and printed in the shortest binary unit", arguments: [
        ("256MiB", 268_435_456), ("2GiB", 2_147_483_648), ("1.5GiB", 1_610_612_736), ("500MB", 500_000_000),
        ("64MiB", 67_108_864), ("1048576", 1_048_576), ("3 GiB", 3_221_225_472),
    ])
    func sizes(_ text: String, _ bytes: Int) throws {
        let c = try Self.load("metrics:\n  process_memory_limit: \(text)\n")
        #expect(c.telemetry.processMemoryLimitBytes == bytes)
        #expect(ConfigByteSize(parsing: text)?.bytes == bytes)
        // Written back, it reads as the same size.
        let printed = ConfigByteSize(bytes: bytes).description
        #expect(ConfigByteSize(parsing: printed)?.bytes == bytes, "\(printed)")
    }

    @Test("a malformed or out-of-range limit is a configuration issue with its key, line and the accepted forms", arguments: [
        ("process_memory_limit: lots", "metrics.process_memory_limit: \"lots\" is not a size in bytes"),
        ("process_memory_limit: -1MiB", "metrics.process_memory_limit: \"-1MiB\" is not a size in bytes"),
        ("process_memory_limit: 1.5", "metrics.process_memory_limit: \"1.5\" is not a size in bytes"),
        ("process_memory_limit: 512KiB", "metrics.process_memory_limit: 512KiB is below the minimum of 1MiB"),
        ("process_cpu_limit: 0", "metrics.process_cpu_limit: 0.0 is out of range 0.01…4096.0 cores"),
        ("process_cpu_limit: -2", "metrics.process_cpu_limit: -2.0 is out of range 0.01…4096.0 cores"),
    ])
    func refused(_ line: String, _ expected: String) {
        do {
            _ = try Self.load("metrics:\n  \(line)\n")
            Issue.record("\(line) was accepted")
        } catch {
            let found = error.issues.map(\.description)
            #expect(found.contains { $0.hasPrefix(expected) && $0.hasSuffix("(agent.yaml:2)") }, "\(found)")
        }
    }

    @Test("the sampler divides by the lower of the declared and the detected limit")
    func lowerLimitWins() throws {
        #expect(ProcessSampler.lower(256, 1024) == 256)
        #expect(ProcessSampler.lower(4096, 1024) == 1024)
        #expect(ProcessSampler.lower(nil, 1024) == 1024)
        #expect(ProcessSampler.lower(256, nil) == 256)
        #expect(ProcessSampler.lower(nil, nil) == nil)
        // On this machine (Linux, /proc): a declared budget smaller than anything a machine has
        // is the one used.
        let declared = 3.0 * 1024 * 1024
        if let sample = ProcessSampler.sample(memoryLimitBytes: declared, cpuLimit: 0.25) {
            #expect(sample.memoryLimitBytes == declared)
            #expect(sample.availableCPUs == 0.25)
        }
    }

    @Test("a pipeline with a declared budget reports its memory ratio over it")
    func ratioOverTheDeclaredBudget() async throws {
        var configuration = try Self.load("metrics:\n  process_memory_limit: 64MiB\n  process_cpu_limit: 0.5\n").telemetry
        configuration.sampleProcess = true
        try await withTestTelemetry(configuration: configuration) { t in
            guard ProcessSampler.sample() != nil else { return }  // no /proc here
            let resident = try #require(t.gaugeValue("process_resident_memory_bytes"))
            let ratio = try #require(t.gaugeValue("agent_process_memory_usage_ratio"))
            #expect(abs(ratio - resident / 67_108_864) < 0.05, "ratio \(ratio), resident \(resident)")
        }
    }
}

import AgentTelemetryTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One `agent-telemetry demo` process on a loopback port: a replica of a simulated agent fleet.
final class DemoReplica: @unchecked Sendable {
    /// The `agent-telemetry` executable built with the package, if any: next to the test bundle
    /// (as `swift build --build-tests` and `swift test` leave it), or in `.build/debug`.
    static let executable: URL? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent(), repositoryRoot.appendingPathComponent(".build/debug")] {
            let url = candidate.appendingPathComponent("agent-telemetry")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }()

    let process = Process()
    let port: Int
    let logFile: URL

    /// Starts `demo` with the given workload; it serves `/metrics` on `port` until `stop()`.
    init(executable: URL, port: Int, rate: Int, seed: Int, arguments: [String] = []) throws {
        self.port = port
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(port)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = ["demo", "--port", String(port), "--rate", String(rate), "--seed", String(seed),
                             "--progress-interval", "60"] + arguments
        // Only the command line configures the replica: no AGENT_TELEMETRY_*/OTEL_* from the caller.
        process.environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("AGENT_TELEMETRY_") && !$0.key.hasPrefix("OTEL_")
        }
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var metricsURL: String { "http://127.0.0.1:\(port)/metrics" }

    /// SIGTERM (the demo drains and exits), then SIGKILL if it is still running after 10 s. The
    /// waiting happens on a thread of its own: a test task must not block a cooperative thread.
    func stop() {
        let process = self.process, logFile = self.logFile
        guard process.isRunning else { return }
        process.terminate()
        Thread.detachNewThread {
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: logFile)
        }
    }

    func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The sum of every sample of `family` (a counter or gauge without suffixes) in one exposition.
    static func total(of family: String, in exposition: String) -> Double {
        var sum = 0.0
        for line in exposition.split(separator: "\n") where line.hasPrefix(family + "{") || line.hasPrefix(family + " ") {
            if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { sum += value }
        }
        return sum
    }
}

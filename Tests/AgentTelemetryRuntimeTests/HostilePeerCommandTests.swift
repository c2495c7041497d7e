import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The demo against hostile peers and a hostile terminal (issue 24): a reader that closes the
/// pipe, a collector that stalls mid-response during the final export, a process stopped with
/// SIGSTOP in the middle of its stop, a host name with a line break.
@Suite("The demo against hostile peers", .enabled(if: CommandTests.executable != nil))
struct HostilePeerCommandTests {
    /// Write system calls the process has made so far (`syscw` of /proc/PID/io; failed writes count too).
    static func writeCalls(_ pid: Int32) -> Int? {
        guard let io = try? String(contentsOfFile: "/proc/\(pid)/io", encoding: .utf8),
              let line = io.split(separator: "\n").first(where: { $0.hasPrefix("syscw:") }) else { return nil }
        return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
    }

    /// Writes a configuration file and returns its path (removed by the caller).
    static func configFile(_ yaml: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test("a reader that closes the pipe (demo | head -1) does not take the demo down: it keeps serving and stops cleanly")
    func closedPipe() async throws {
        let port = try FreePort.find()
        let p = Process()
        p.executableURL = CommandTests.executable
        p.arguments = ["demo", "--port", String(port), "--progress-interval", "0.2"]
        p.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AGENT_TELEMETRY_") && !$0.key.hasPrefix("OTEL_") }
        let pipe = Pipe()
        p.standardOutput = pipe
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        p.standardError = try FileHandle(forWritingTo: errors)
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }

        // As `head -1`: read the first line, then close the only read end of the pipe.
        let reader = pipe.fileHandleForReading
        let first: String = await withCheckedContinuation { c in
            Thread.detachNewThread {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                c.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        #expect(first.hasPrefix("demo: serving"), "\(first)")
        try? pipe.fileHandleForWriting.close()  // the parent's copy, if Foundation left it open
        try reader.close()
        let before = try #require(Self.writeCalls(p.processIdentifier))
        // The next progress line is written into the closed pipe (EPIPE): wait until it was attempted.
        #expect(await eventually(timeout: .seconds(60)) { (Self.writeCalls(p.processIdentifier) ?? 0) > before || !p.isRunning })
        #expect(await eventually(timeout: .seconds(60)) { (try? await get("http://127.0.0.1:\(port)/health").status) == 200 },
                "the demo still serves after its reader went away")
        #expect(p.isRunning)
        kill(p.processIdentifier, SIGTERM)  // its "SIGTERM received" and final lines go into the closed pipe too
        _ = await CommandTests.wait(p)  // off the cooperative pool: the demo's stop takes seconds
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "status \(p.terminationStatus): \(stderr.suffix(400))")
        #expect(!stderr.contains("Fatal error"), "\(stderr.suffix(400))")
    }

    @Test("a final export to a collector that stalls mid-response ends at its timeout, and the last line says what was not delivered",
          .enabled(if: OTLPReceiver.available))
    func finalLineNamesWhatWasNotDelivered() async throws {
        let collector = try await OTLPReceiver(script: Array(repeating: "200:stall", count: 20).joined(separator: ","), compact: true)
        let config = try Self.configFile("""
            shutdown_timeout: 120s
            exporters:
              prometheus: {port: 0}
              otlp: {endpoint: "\(collector.endpoint)", interval: 1h, timeout: 2s}
            """)
        defer { try? FileManager.default.removeItem(at: config) }
        let p = try CommandTests.start(["demo", "--config", config.path])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        #expect(await eventually(timeout: .seconds(60)) { CommandRobustnessTests.output(of: p).contains("demo: serving") })
        let start = ContinuousClock.now
        kill(p.processIdentifier, SIGTERM)
        let (status, output) = await CommandTests.wait(p)
        let took = ContinuousClock.now - start
        #expect(status == 0, "\(output.suffix(600))")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.contains("the final flush did not deliver everything"), "\(last)")
        #expect(last.contains("otlp: ") && last.contains("data points not delivered"), "\(last)")
        #expect(!last.contains("stopped after a final flush"))
        // The stall never ends; the export gave up at its 2 s timeout, long before shutdown_timeout
        // (120 s, far enough that a loaded machine's slow stop cannot be mistaken for it).
        #expect(took < .seconds(90), "the stop took \(took)")
        #expect(collector.records().count >= 1, "the final export reached the collector")
        print("stalled collector at the final export: the demo stopped \(took) after SIGTERM (otlp timeout 2s)")
    }

    @Test("a process stopped (SIGSTOP) for longer than its stop bound still makes its final export when it continues",
          .enabled(if: OTLPReceiver.available))
    func stoppedProcessKeepsItsFinalExport() async throws {
        // The collector holds its answer to the final export until the test releases it.
        let collector = try await OTLPReceiver(script: "200:hold", compact: true)
        let config = try Self.configFile("""
            shutdown_timeout: 30s
            exporters:
              prometheus: {port: 0}
              otlp: {endpoint: "\(collector.endpoint)", interval: 1h, timeout: 120s}
            """)
        defer { try? FileManager.default.removeItem(at: config) }
        let p = try CommandTests.start(["demo", "--config", config.path])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        #expect(await eventually(timeout: .seconds(60)) { CommandRobustnessTests.output(of: p).contains("demo: serving") })
        kill(p.processIdentifier, SIGTERM)
        // The final export is on its way (held by the collector): the stop is in progress.
        #expect(await eventually(timeout: .seconds(60)) { !collector.records().isEmpty })
        kill(p.processIdentifier, SIGSTOP)
        // Stopped for longer than shutdown_timeout + the demo's 5 s watchdog margin (35 s): what
        // the scenario is (a debugger, a frozen container), not a synchronisation. The bound is
        // 30 s of running time so that a loaded machine's slow start of the stop and the
        // receiver's slow answer after SIGCONT do not use it up (10 s did, with every core busy).
        try await Task.sleep(for: .seconds(36))
        kill(p.processIdentifier, SIGCONT)
        _ = FileManager.default.createFile(atPath: collector.outFile.path + ".release", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: collector.outFile.path + ".release") }
        let (status, output) = await CommandTests.wait(p)
        #expect(status == 0, "the watchdog must not count the stopped time: \(output.suffix(600))")
        #expect(output.contains("stopped after a final flush"), "\(output.suffix(600))")
        #expect(!output.contains("did not finish within"))
    }

    @Test("a host name with a line break is refused by check-config (exit 2), not by the demo at start")
    func hostWithLineBreak() async throws {
        let config = try Self.configFile("""
            exporters:
              prometheus: {host: "127.0.0.1\\nevil"}
              statsd: {host: "stats\\td"}
            """)
        defer { try? FileManager.default.removeItem(at: config) }
        let (status, output) = await CommandTests.wait(try CommandTests.start(["check-config", config.path]))
        #expect(status == 2, "\(output)")
        #expect(output.contains("exporters.prometheus.host: \"127.0.0.1\\nevil\" contains a control character"), "\(output)")
        #expect(output.contains("exporters.statsd.host: \"stats\\td\" contains a control character"), "\(output)")
        let (demoStatus, demoOutput) = await CommandTests.wait(try CommandTests.start(["demo", "--config", config.path]))
        #expect(demoStatus == 2, "the demo refuses it as a configuration problem: \(demoOutput)")
    }
}

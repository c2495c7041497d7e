import AgentTelemetryTestSupport
import Foundation
import Testing

@Suite("agent-telemetry report on the command line")
struct CommandLineTests {
    static let executable: String? = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent(), repositoryRoot.appendingPathComponent(".build/debug")] {
            let url = candidate.appendingPathComponent("agent-telemetry")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
        }
        print("SKIPPED: agent-telemetry is not built next to the tests; run swift build first")
        return nil
    }()

    static func run(_ arguments: [String]) async throws -> Peers.Result {
        try await Peers.run(executable ?? "/bin/false", ["report"] + arguments)
    }

    @Test("an unreachable Prometheus exits 1 with exactly one line on stderr", .enabled(if: executable != nil))
    func unreachable() async throws {
        let port = try FreePort.find()
        let result = try await Self.run(["--prometheus", "http://127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: cannot reach http://127.0.0.1:\(port)/api/v1/query"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("an HTML page at --metrics-url exits 1 with one line saying it is not an exposition",
          .enabled(if: executable != nil && Peers.available(Peers.which("python3"), "python3")), .timeLimit(.minutes(5)))
    func htmlBody() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "<!DOCTYPE html>\n<html><body>Login</body></html>\n".write(to: dir.appendingPathComponent("metrics"), atomically: true, encoding: .utf8)
        let port = try FreePort.find()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Peers.which("python3") ?? "/usr/bin/python3")
        server.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: a child started from the test process may inherit a mask that blocks SIGTERM.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(await eventually(timeout: .seconds(180)) { (try? await get(url).status) == 200 })
        let result = try await Self.run(["--metrics-url", url])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(url): not a Prometheus text exposition: line 1: expected a metric name, found \"<\" (rule: a line is a sample, a metadata line or (0.0.4) a comment)\n")
    }

    @Test("a non-exposition file exits 1 with one line", .enabled(if: executable != nil))
    func htmlFile() async throws {
        let path = try TestFixtures.temporary("<html></html>\n", suffix: ".html")
        let result = try await Self.run(["--metrics-file", path])
        #expect(result.status == 1)
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("--metrics-file prints the Markdown report of the fixture", .enabled(if: executable != nil))
    func markdownFromFile() async throws {
        let result = try await Self.run(["--metrics-file", TestFixtures.directory.appendingPathComponent("exposition.txt").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("| Tool success ratio | tool=grep | 87.5 % |"))
    }

    @Test("--format all writes one timestamped file per format next to --output", .enabled(if: executable != nil))
    func allFormats() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("all-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await Self.run(["--metrics-file", TestFixtures.directory.appendingPathComponent("exposition.txt").path,
                                   "--format", "all", "--output", dir.appendingPathComponent("report.md").path])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(names.count == 3)
        #expect(names.map { ($0 as NSString).pathExtension } == ["csv", "json", "md"])
        #expect(names.allSatisfy { $0.range(of: #"^report-\d{8}T\d{6}Z\.(csv|json|md)$"#, options: .regularExpression) != nil })
    }

    @Test("usage errors exit 64: no source, two sources, --format all without --output, a bad --time-range",
          .enabled(if: executable != nil))
    func usage() async throws {
        #expect(try await Self.run([]).status == 64)
        #expect(try await Self.run(["--metrics-file", "a", "--prometheus", "http://x"]).status == 64)
        #expect(try await Self.run(["--metrics-file", "a", "--format", "all"]).status == 64)
        #expect(try await Self.run(["--prometheus", "http://x", "--time-range", "1 hour"]).status == 64)
    }
}

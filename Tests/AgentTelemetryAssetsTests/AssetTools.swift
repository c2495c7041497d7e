import AgentTelemetryTestSupport
import Foundation

/// Where the monitoring assets live, and how the tests run the real tools that check them.
enum AssetTools {
    /// The repository root, found from this file's location (Tests/AgentTelemetryAssetsTests/…).
    static let root: URL = repositoryRoot

    /// An absolute path inside the repository.
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The full path of an installed executable.
    static func which(_ name: String) -> String? { Peers.which(name) }

    /// The exit status and the combined standard output and error of a finished program.
    struct Run: CustomStringConvertible {
        var status: Int32
        var output: String
        var command: String
        var description: String { "$ \(command)\nexit status \(status)\n\(output)" }
    }

    /// Runs a program to completion in the repository root; output and errors go to one pipe so a
    /// chatty program cannot block on a full second pipe.
    static func run(_ executable: String, _ arguments: [String]) async throws -> Run {
        try await Peers.offPool { try runBlocking(executable, arguments) }
    }

    /// The same, blocking the calling thread (for static initialisers only: a test task must
    /// never block one of the few cooperative threads).
    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self),
                   command: ([executable] + arguments).joined(separator: " "))
    }

    static let promtool = which("promtool")
    static let prometheus = which("prometheus")
    static let amtool = which("amtool")
    static let python = which("python3")
    static let docker = which("docker")

    /// Whether python3 can import every module named.
    static func pythonHas(_ modules: String...) -> Bool {
        guard let python else { return false }
        return (try? runBlocking(python, ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]).status) == 0
    }

    static let hasCheckerModules = pythonHas("promql_parser", "yaml")

    /// Prints why a test is skipped, so that a skipped run is visible in the log.
    static func available(_ condition: Bool, _ why: String) -> Bool {
        if !condition { print("SKIPPED: \(why); install the test peers with bash .ci/install-peers") }
        return condition
    }

    /// configs/prometheus/prometheus.yml with its commented-out `remote_write` block turned on the
    /// way the file tells users to (`sed '/^# remote_write:$/,/^$/ s/^# //'`): from the line
    /// `# remote_write:` to the next empty line, one leading "# " is removed from each line.
    static func prometheusConfigWithRemoteWrite() throws -> String {
        let lines = try String(contentsOfFile: path("configs/prometheus/prometheus.yml"), encoding: .utf8)
            .components(separatedBy: "\n")
        var inBlock = false
        return lines.map { line in
            if line == "# remote_write:" { inBlock = true } else if inBlock && line.isEmpty { inBlock = false }
            return inBlock && line.hasPrefix("# ") ? String(line.dropFirst(2)) : line
        }.joined(separator: "\n")
    }

    /// Only the `remote_write:` block of `prometheusConfigWithRemoteWrite()`, up to the next empty
    /// line or the end of the file; empty when the file has no such block.
    static func remoteWriteBlock() throws -> String {
        let lines = try prometheusConfigWithRemoteWrite().components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "remote_write:") else { return "" }
        let end = lines[start...].firstIndex(of: "") ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n") + "\n"
    }

    /// The `record:` names of a Prometheus rule file, in file order.
    static func recordingRuleNames(in file: String) throws -> [String] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("- record:") else { return nil }
            return trimmed.dropFirst("- record:".count).trimmingCharacters(in: .whitespaces)
        }
    }
}

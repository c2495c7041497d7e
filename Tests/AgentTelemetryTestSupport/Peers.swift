import Foundation

/// Finding and running the real peer programs the tests talk to.
public enum Peers {
    /// The full path of an executable on PATH (or in /usr/bin, /usr/sbin), if installed.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// What a finished program printed.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs a program to completion, feeding `stdin`.
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Whether python3 can import `module`.
    public static func pythonHas(_ module: String) -> Bool {
        guard let py = which("python3") else { return false }
        return (try? run(py, ["-c", "import \(module)"]).status) == 0
    }

    public static let promtool = which("promtool")
    public static let prometheus = which("prometheus")
    public static let hasPrometheusClient = pythonHas("prometheus_client")

    /// Prints why a peer test is skipped, so a skipped run is visible in the log.
    public static func available(_ tool: String?, _ name: String) -> Bool {
        if tool == nil { print("SKIPPED: \(name) is not installed; .ci/run installs it") }
        return tool != nil
    }
}

/// The repository root (for files such as `configs/` and `Tests/peers/`).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(timeout: Duration = .seconds(30), every: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: every)
    }
    return try await condition()
}

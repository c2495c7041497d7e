import Foundation
import Synchronization

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

    /// Runs a program to completion, feeding `stdin`, on a thread of its own: waiting for a
    /// child process must not hold one of the few threads Swift concurrency runs every test on.
    public static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) async throws -> Result {
        try await offPool { try runBlocking(executable, arguments, stdin: stdin) }
    }

    /// Runs blocking work on a dedicated thread and resumes with its result.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try work() }) }.start()
        }
    }

    /// Runs a program to completion, blocking the calling thread.
    public static func runBlocking(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Result {
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
        // Read stderr concurrently so a chatty program cannot block on a full pipe.
        let errData = Mutex(Data())
        let errDone = DispatchSemaphore(value: 0)
        Thread {
            let d = err.fileHandleForReading.readDataToEndOfFile()
            errData.withLock { $0 = d }
            errDone.signal()
        }.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errDone.wait()
        let e = errData.withLock { $0 }
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Whether python3 can import `module`.
    public static func pythonHas(_ module: String) -> Bool {
        guard let py = which("python3") else { return false }
        return (try? runBlocking(py, ["-c", "import \(module)"]).status) == 0
    }

    public static let promtool = which("promtool")
    public static let prometheus = which("prometheus")
    public static let hasPrometheusClient = require(pythonHas("prometheus_client"), "python prometheus_client")

    /// The one command that installs every peer, named by every skip line.
    public static let installCommand = "bash .ci/install-peers"

    /// The line printed when a test is skipped for want of `peer`, in the one form every skip uses:
    /// `SKIPPED: <peer> is not installed; install the test peers with bash .ci/install-peers`.
    public static func skipLine(_ peer: String) -> String {
        "SKIPPED: \(peer) is not installed; install the test peers with \(installCommand)"
    }

    /// Whether `tool` was found; prints ``skipLine(_:)`` for `name` when not, so a skipped run
    /// is visible in the log.
    public static func available(_ tool: String?, _ name: String) -> Bool {
        require(tool != nil, name)
    }

    /// `condition`; prints ``skipLine(_:)`` for `peer` when false.
    public static func require(_ condition: Bool, _ peer: String) -> Bool {
        if !condition { print(skipLine(peer)) }
        return condition
    }
}

/// The repository root (for files such as `configs/` and `Tests/peers/`).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Polls `condition` until it holds or `timeout` passes. The timeout bounds a failing test only
/// (a passing one returns as soon as the condition holds), so the default is long: with every core
/// busy, the whole suite starting dozens of peer processes at once stalled progress for about
/// 100 s in a loaded run, and 30 s bounds failed there.
public func eventually(timeout: Duration = .seconds(180), every: Duration = .milliseconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: every)
    }
    return try await condition()
}

/// Runs `work` (an export, say) and cancels it as soon as `condition` holds, polled as by
/// ``eventually(timeout:every:_:)``; whether it held within `timeout`. For tests that judge
/// long-running work by its progress rather than by how long it took.
public func cancelling(_ work: @escaping @Sendable () async -> Void, once condition: @escaping @Sendable () async -> Bool,
                       timeout: Duration = .seconds(180), every: Duration = .milliseconds(10)) async -> Bool {
    await withTaskGroup(of: Bool.self) { group in
        group.addTask {
            await work()  // ends when the group is cancelled below
            return false
        }
        group.addTask { await eventually(timeout: timeout, every: every, condition) }
        var held = false
        for await result in group where result {
            held = true
            break
        }
        group.cancelAll()
        return held
    }
}

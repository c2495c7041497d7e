import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one line to standard output at once, whatever standard output is (a terminal, a pipe
/// under systemd or docker, a file): progress must never sit in a buffer until exit. A reader
/// that went away (`demo | head -1`) never takes the process down: the write fails with EPIPE
/// (SIGPIPE is ignored, see ``ProcessSignals/prepare()``), and later lines are not attempted.
func say(_ line: String) { ProcessOutput.standardOutput.write(line + "\n") }

/// Writes one line to standard error, with the same guarantees as ``say(_:)``.
func complain(_ line: String) { ProcessOutput.standardError.write(line + "\n") }

/// One of the process's standard streams, written with `write(2)` directly.
final class ProcessOutput: Sendable {
    static let standardOutput = ProcessOutput(descriptor: 1)
    static let standardError = ProcessOutput(descriptor: 2)

    private let descriptor: Int32
    /// Set once a write failed for good (the reader closed the pipe, the disk is full).
    private let closed = Atomic<Bool>(false)

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes all of `text`, retrying partial writes and interruptions; gives up quietly (and
    /// for good) on any other error.
    func write(_ text: String) {
        guard !closed.load(ordering: .relaxed) else { return }
        var bytes = Array(text.utf8)  // var: written through withUnsafeMutableBytes
        var offset = 0
        let fd = descriptor
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                #if canImport(Darwin)
                return Darwin.write(fd, base + offset, raw.count - offset)
                #elseif canImport(Musl)
                return Musl.write(fd, base + offset, raw.count - offset)
                #elseif canImport(Glibc)
                return Glibc.write(fd, base + offset, raw.count - offset)
                #else
                #error("ProcessOutput needs a C library: Darwin, Glibc or Musl")
                #endif
            }
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                closed.store(true, ordering: .relaxed)
                return
            }
        }
    }
}

/// The stop signals, caught from the first line of `main`: a signal that arrives while the
/// arguments are parsed or the configuration is read is remembered, not fatal, and the demo
/// acts on it as soon as its own handling is in place.
enum ProcessSignals {
    /// The signals the demo stops on.
    static let stopSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGQUIT]

    /// The first stop signal received before ``takeEarlySignal()``, or 0.
    private static let early = Atomic<Int32>(0)

    /// Ignores SIGPIPE (a closed reader then fails a write with EPIPE instead of killing the
    /// process) and catches the stop signals until a subcommand takes over. Call first in `main`.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        _ = early.load(ordering: .relaxed)  // initialised here, never first inside a handler
        for s in stopSignals {
            // Only an atomic store: async-signal-safe.
            signal(s) { number in _ = ProcessSignals.early.compareExchange(expected: 0, desired: number, ordering: .relaxed) }
        }
    }

    /// The stop signal that arrived before the demo's own handling was in place, if any.
    static func takeEarlySignal() -> Int32? {
        let s = early.exchange(0, ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// For subcommands that do not handle signals: the default actions back, and a stop signal
    /// that arrived meanwhile acted on now (the process ends as it would have).
    static func restoreDefaults() {
        for s in stopSignals { signal(s, SIG_DFL) }
        if let s = takeEarlySignal() { raise(s) }
    }
}

/// Ends the process at once with `code` (the C library's `exit`, on every platform).
func terminateProcess(_ code: Int32) -> Never {
    #if canImport(Darwin)
    Darwin.exit(code)
    #elseif canImport(Musl)
    Musl.exit(code)
    #elseif canImport(Glibc)
    Glibc.exit(code)
    #else
    #error("terminateProcess needs a C library: Darwin, Glibc or Musl")
    #endif
}

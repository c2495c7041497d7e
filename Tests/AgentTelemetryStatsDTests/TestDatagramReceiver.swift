#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real datagram socket (UDP on 127.0.0.1 or Unix domain) that the tests read StatsD lines from.
/// Reads are non-blocking and polled, so no thread of the test runner is ever blocked.
final class TestDatagramReceiver: Sendable {
    let fd: Int32
    /// The bound UDP port (0 for a Unix socket).
    let port: Int
    let path: String?

    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    private init(fd: Int32, port: Int, path: String?) {
        self.fd = fd
        self.port = port
        self.path = path
    }

    /// Binds UDP on 127.0.0.1; `port` 0 picks a free port.
    static func udp(port: Int = 0) throws -> TestDatagramReceiver {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket: errno \(errno)") }
        var size: Int32 = 4 << 20
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw SocketError(description: "bind 127.0.0.1:\(port): errno \(e)")
        }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return TestDatagramReceiver(fd: fd, port: Int(UInt16(bigEndian: bound.sin_port)), path: nil)
    }

    /// Binds a Unix domain datagram socket at `path`.
    static func unix(path: String) throws -> TestDatagramReceiver {
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket: errno \(errno)") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw SocketError(description: "path too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            close(fd)
            throw SocketError(description: "bind \(path): errno \(e)")
        }
        return TestDatagramReceiver(fd: fd, port: 0, path: path)
    }

    /// A UDP port on 127.0.0.1 that nothing listens on (bound, then released).
    static func closedUDPPort() throws -> Int {
        let r = try udp()
        return r.port
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }

    /// Every datagram waiting now, without blocking.
    func receiveAvailable() -> [[UInt8]] {
        var out: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n <= 0 { break }
            out.append(Array(buffer[0..<n]))
        }
        return out
    }

    /// Collects datagrams until `done` holds for them (or `timeout` passes), polling every 5 ms.
    func collect(timeout: Duration = .seconds(180), until done: ([[UInt8]]) -> Bool) async -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            datagrams += receiveAvailable()
            if done(datagrams) || ContinuousClock.now >= deadline { return datagrams }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The lines of some datagrams, in order.
func lines(of datagrams: [[UInt8]]) -> [String] {
    datagrams.flatMap { String(decoding: $0, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}

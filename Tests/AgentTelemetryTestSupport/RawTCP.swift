import Foundation

/// A blocking raw TCP exchange, for clients that do not speak HTTP.
public enum RawTCP {
    /// Runs the blocking exchange on a thread outside Swift's cooperative pool, so the server's
    /// own tasks keep running while the client waits.
    /// The read timeout is a hang guard (60 s): the exchange ends when the server closes, and a
    /// loaded machine once took over 5 s to answer.
    public static func exchange(port: Int, send bytes: [UInt8], readTimeoutSeconds: Int = 60) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async {
                c.resume(with: Result { try blockingExchange(port: port, send: bytes, readTimeoutSeconds: readTimeoutSeconds) })
            }
        }
    }

    static func blockingExchange(port: Int, send bytes: [UInt8], readTimeoutSeconds: Int) throws -> [UInt8] {
        let connection = try RawConnection(port: port, readTimeoutSeconds: readTimeoutSeconds)
        defer { connection.close() }
        connection.send(bytes)  // the server may close early (431): keep what it answered
        return connection.readAll()
    }

    /// A socket call failed.
    public struct POSIXFailure: Error {
        public let call: String
        public init(call: String) { self.call = call }
    }

    /// Splits a raw HTTP response into its head (as text) and body bytes.
    public static func split(_ raw: [UInt8]) -> (String, [UInt8]) {
        let sep: [UInt8] = [13, 10, 13, 10]
        var i = 0
        while i + 4 <= raw.count {
            if Array(raw[i..<i + 4]) == sep { return (String(decoding: raw[..<i], as: UTF8.self) + "\r\n", Array(raw[(i + 4)...])) }
            i += 1
        }
        return (String(decoding: raw, as: UTF8.self), [])
    }
}

/// A blocking loopback TCP connection for attack tests (slow, half-closing or never-reading
/// clients). Call it from a thread of its own (`Peers.offPool`), never from a test task directly.
public final class RawConnection: @unchecked Sendable {
    /// The socket; -1 once closed.
    public private(set) var fd: Int32

    /// Connects to 127.0.0.1:`port`. A `receiveBufferBytes` (set before connecting, so the
    /// window is small from the start) makes a slow or non-reading client whose kernel takes
    /// only that much of what the server sends.
    public init(port: Int, readTimeoutSeconds: Int = 5, receiveBufferBytes: Int? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawTCP.POSIXFailure(call: "socket") }
        if let receiveBufferBytes {
            var size = Int32(receiveBufferBytes)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw RawTCP.POSIXFailure(call: "connect")
        }
        var tv = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close() }

    /// Sends all of `bytes` (or as much as the peer takes before closing); returns the bytes sent.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            sent += n
        }
        return sent
    }

    /// Sends FIN: the request is complete, nothing more will be written.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until the peer closes or the read timeout passes, at most `chunkSize` bytes a read
    /// (a small one makes a slow reader).
    public func readAll(chunkSize: Int = 65536) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Whether the peer has closed the connection (a read returns end of file at once).
    public func peerClosed() -> Bool {
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT))
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
    }

    /// Closes the socket.
    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}

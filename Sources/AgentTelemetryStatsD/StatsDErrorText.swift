import AgentTelemetry
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Words a person can act on for socket and resolver errors, instead of SwiftNIO's internal
/// descriptions (`connection reset (error set): Connection refused (errno: 111)`).
enum StatsDErrorText {
    /// A sentence fragment such as `connection refused (nothing listens on that port)`.
    static func describe(_ error: any Error) -> String {
        if let e = error as? IOError { return errnoText(e.errnoCode) }
        if let e = error as? SocketAddressError.UnknownHost {
            return "unknown host: \(e.errorDescription.lowercasedFirst)"
        }
        if let e = error as? SocketAddressError {
            if case .unknown = e { return "unknown host" }
            return "invalid address: \(e)"
        }
        if let e = error as? ChannelError {
            switch e {
            case .ioOnClosedChannel, .alreadyClosed: return "the socket is closed"
            case .writeMessageTooLarge: return "the datagram is larger than the socket accepts"
            default: break
            }
        }
        let text = String(describing: error)
        if let r = text.ranges(of: "errno: ").last, let code = CInt(text[r.upperBound...].prefix(while: \.isNumber)) {
            return errnoText(code)
        }
        return String(text.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
    }

    /// What an errno means, in words that suggest the cause.
    static func errnoText(_ code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "connection refused (nothing listens on that port)"
        case ENOENT: "no such socket (is the server running?)"
        case EACCES: "permission denied"
        case EHOSTUNREACH: "host unreachable"
        case ENETUNREACH: "network unreachable"
        case EMSGSIZE: "the datagram is too large for the socket"
        case ENOBUFS, EAGAIN: "the socket's send buffer is full"
        default:
            if let s = strerror(code) {
                String(cString: s).lowercasedFirst
            } else {
                "system error \(code)"
            }
        }
    }
}

extension String {
    /// The string with its first character lowercased.
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}

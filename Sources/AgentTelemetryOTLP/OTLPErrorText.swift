import AgentTelemetry
import AsyncHTTPClient
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Words a person can act on for the errors a request to the collector fails with, instead of
/// the libraries' internal descriptions (`connection reset (error set): …(errno: 111)`).
enum OTLPErrorText {
    /// A sentence fragment such as `could not connect to 127.0.0.1:4318: connection refused
    /// (nothing listens on that port)`. `authority` is the collector's host and port.
    static func describe(_ error: any Error, authority: String, connectTimeout: Duration) -> String {
        if let e = error as? HTTPClientError {
            return describe(e, authority: authority, connectTimeout: connectTimeout)
        }
        if let e = error as? IOError {
            return "could not connect to \(authority): \(errnoText(e.errnoCode))"
        }
        if let e = error as? ChannelError, case .connectTimeout = e {
            return "could not connect to \(authority) within \(connectTimeout.spelled) (connect_timeout)"
        }
        if error is SocketAddressError || error is SocketAddressError.UnknownHost {
            return "could not resolve the host of \(authority)"
        }
        // Errors of modules this one does not import (NIOPosix's NIOConnectionError, NIOSSL's
        // errors) are recognised by their description: an errno or a DNS failure in it.
        let text = String(describing: error)
        if text.hasPrefix("DNS error") { return "could not resolve the host of \(authority)" }
        if let code = errno(in: text) { return "could not connect to \(authority): \(errnoText(code))" }
        if text.contains("TLS") || text.contains("SSL") || text.contains("handshake") {
            if let reason = tlsReason(in: text) { return "TLS with \(authority) failed: \(reason)" }
            return "TLS with \(authority) failed: \(sanitized(text))"
        }
        return "request to \(authority) failed: \(sanitized(text))"
    }

    private static func describe(_ e: HTTPClientError, authority: String, connectTimeout: Duration) -> String {
        switch e {
        case .connectTimeout, .getConnectionFromPoolTimeout:
            "could not connect to \(authority) within \(connectTimeout.spelled) (connect_timeout)"
        case .deadlineExceeded:
            "no answer from \(authority) before the export timeout"
        case .readTimeout:
            "no answer from \(authority) in time"
        case .remoteConnectionClosed:
            "\(authority) closed the connection before answering"
        case .tlsHandshakeTimeout:
            "TLS handshake with \(authority) timed out"
        case .cancelled:
            "the request was cancelled"
        default:
            "request to \(authority) failed: \(e.shortDescription.lowercasedFirst)"
        }
    }

    /// BoringSSL's reason (`CERTIFICATE_VERIFY_FAILED`) in words that point at the setting to
    /// check, with the reason's name kept for searching; nil when the text names none.
    static func tlsReason(in text: String) -> String? {
        if text.contains("failedToValidateHostname") {
            return "the collector's certificate is not valid for this host name (failedToValidateHostname)"
        }
        guard let r = text.firstRange(of: "OPENSSL_internal:") else { return nil }
        let name = String(text[r.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" })
        guard !name.isEmpty else { return nil }
        let hint: String
        switch name {
        case "CERTIFICATE_VERIFY_FAILED":
            hint = "the collector's certificate is not trusted, expired or not for this host (tls.ca_file names the CA to trust)"
        case "TLSV1_ALERT_CERTIFICATE_REQUIRED", "SSLV3_ALERT_HANDSHAKE_FAILURE":
            hint = "the collector wants a client certificate (tls.cert_file and tls.key_file)"
        case "TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_BAD_CERTIFICATE", "SSLV3_ALERT_CERTIFICATE_UNKNOWN",
             "SSLV3_ALERT_CERTIFICATE_EXPIRED", "TLSV1_ALERT_ACCESS_DENIED":
            hint = "the collector refused the client certificate (tls.cert_file)"
        case "WRONG_VERSION_NUMBER":
            hint = "the collector does not speak TLS on that port (an http:// endpoint?)"
        default:
            hint = "TLS error"
        }
        return "\(hint) (\(name))"
    }

    /// What an errno means, in words that suggest the cause.
    static func errnoText(_ code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "connection refused (nothing listens on that port)"
        case ETIMEDOUT: "connection timed out"
        case EHOSTUNREACH: "host unreachable"
        case ENETUNREACH: "network unreachable"
        case ECONNRESET: "connection reset by the peer"
        case EPIPE: "connection closed by the peer"
        case EADDRNOTAVAIL: "address not available"
        default:
            if let s = strerror(code) { String(cString: s).lowercasedFirst } else { "system error \(code)" }
        }
    }

    /// The number after the last `errno: ` in a description.
    private static func errno(in text: String) -> CInt? {
        guard let r = text.ranges(of: "errno: ").last else { return nil }
        return CInt(text[r.upperBound...].prefix(while: \.isNumber))
    }

    /// A description on one line, escaped and cut at 200 bytes (see `LogText`): library errors
    /// can quote what a peer sent.
    private static func sanitized(_ text: String) -> String {
        LogText.escaped(text, limit: 200)
    }
}

extension String {
    /// The string with its first character lowercased.
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}

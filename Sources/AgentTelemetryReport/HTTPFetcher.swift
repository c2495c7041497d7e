import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOPosix
import Synchronization

/// GET requests with AsyncHTTPClient's shared client, mapping failures to ``ReportError``.
enum HTTPFetcher {
    /// Hosts already known to accept connections in this process.
    private static let reachable = Mutex<Set<String>>([])

    /// The body of a 2xx answer (at most 64 MiB).
    static func get(_ url: String, timeout: TimeAmount = .seconds(15)) async throws -> Data {
        try await getWithContentType(url, timeout: timeout).body
    }

    /// The body of a 2xx answer (at most 64 MiB) and its `Content-Type`, if any.
    static func getWithContentType(_ url: String, timeout: TimeAmount = .seconds(15)) async throws -> (body: Data, contentType: String?) {
        try await probe(url)
        let response: HTTPClientResponse
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json, text/plain;version=0.0.4;q=0.9, */*;q=0.1")
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
        } catch {
            throw ReportError.unreachable(url: url, reason: Self.reason(error))
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: 64 << 20)
        } catch {
            throw ReportError.unreachable(url: url, reason: Self.reason(error))
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            throw ReportError.httpStatus(url: url, status: Int(response.status.code))
        }
        return (Data(buffer: body), response.headers.first(name: "Content-Type"))
    }

    /// Fails fast when nothing listens at the URL's host and port: the HTTP client's pool would
    /// otherwise keep retrying the connection until the request deadline. Checked once per host.
    static func probe(_ url: String) async throws {
        guard let components = URLComponents(string: url), let host = components.host else { return }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        let key = "\(host):\(port)"
        if reachable.withLock({ $0.contains(key) }) { return }
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(3))
                .connect(host: host, port: port).get()
            try? await channel.close()
            reachable.withLock { _ = $0.insert(key) }
        } catch {
            throw ReportError.unreachable(url: url, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}

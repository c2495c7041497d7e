import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// GET requests with AsyncHTTPClient's shared client, mapping failures to ``ReportError``.
enum HTTPFetcher {
    /// The body of a 2xx answer (at most 64 MiB).
    static func get(_ url: String, timeout: TimeAmount = .seconds(15)) async throws -> Data {
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
        return Data(buffer: body)
    }

    static func reason(_ error: any Error) -> String {
        String(describing: error).replacingOccurrences(of: "\n", with: " ")
    }
}

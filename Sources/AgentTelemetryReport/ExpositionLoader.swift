import AgentTelemetryExposition
import Foundation

/// Reads an exposition from a `/metrics` URL or a file and parses it, in the format the server's
/// `Content-Type` names or, for a file, the format its content shows.
package enum ExpositionLoader {
    /// Fetches and parses `url`. Throws ``ReportError`` when unreachable or not an exposition.
    package static func load(url: String) async throws -> Exposition {
        let (body, contentType) = try await HTTPFetcher.getWithContentType(url)
        return try parse([UInt8](body), contentType: contentType, location: url)
    }

    /// Reads and parses the file at `path` (bytes that are not UTF-8 are refused with their line).
    package static func load(path: String) throws -> Exposition {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReportError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try parse([UInt8](data), contentType: nil, location: path)
    }

    /// Parses `bytes` as the format `contentType` names (by content when `nil`), naming `location` in errors.
    package static func parse(_ bytes: [UInt8], contentType: String?, location: String) throws -> Exposition {
        do {
            return try ExpositionParser.parse(bytes, contentType: contentType)
        } catch {
            throw ReportError.notExposition(location: location, error)
        }
    }
}

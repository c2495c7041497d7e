import Foundation

/// Reads an exposition from a `/metrics` URL or a file and parses it.
package enum ExpositionLoader {
    /// Fetches and parses `url`. Throws ``ReportError`` when unreachable or not an exposition.
    package static func load(url: String) async throws -> Exposition {
        let body = try await HTTPFetcher.get(url)
        return try parse(String(decoding: body, as: UTF8.self), location: url)
    }

    /// Reads and parses the file at `path`.
    package static func load(path: String) throws -> Exposition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReportError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        return try parse(text, location: path)
    }

    static func parse(_ text: String, location: String) throws -> Exposition {
        do {
            return try ExpositionParser.parse(text)
        } catch let error as ExpositionParseError {
            throw ReportError.notExposition(location: location, error)
        }
    }
}

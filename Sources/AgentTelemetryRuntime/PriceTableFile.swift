import AgentTelemetry
import Foundation
import Yams

/// Reads a price table file (`metrics.price_table`; the dated default is built in, ``builtIn``,
/// and shipped as a file to copy in `configs/prices/`)
/// with the same rules as the configuration file: every problem in one run, each with its key
/// path and line — unknown keys, wrong types, negative prices, a bad date.
public enum PriceTableFile {
    /// The largest accepted file (a price table is a few kilobytes).
    public static let maximumFileBytes = 4 * 1024 * 1024

    /// Loads and validates the table at `path`.
    public static func load(path: String) throws(ConfigurationIssues) -> PriceSchedule {
        func refuse(_ message: String) -> ConfigurationIssues {
            ConfigurationIssues([ConfigurationIssue([], message, location: path)])
        }
        var bytes: [UInt8]
        switch ConfigurationFile.contents(of: path, limit: maximumFileBytes) {
        case .success(let b): bytes = b
        case .failure(.directory): throw refuse("cannot read the price table: it is a directory")
        case .failure(.notRegular(let kind)): throw refuse("cannot read the price table: it is a \(kind), not a regular file")
        case .failure(.tooLarge(let limit)): throw refuse("the price table is larger than \(limit / (1024 * 1024)) MiB")
        case .failure(.unreadable(let reason)): throw refuse("cannot read the price table: \(reason)")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw refuse("the price table is not UTF-8 text") }
        return try load(yaml: text, source: path)
    }

    /// Loads and validates table text; `source` names it in messages (`source:line`).
    public static func load(yaml: String, source: String) throws(ConfigurationIssues) -> PriceSchedule {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch {
            throw ConfigurationIssues([ConfigurationLoader.syntaxProblem(error, source: source)])
        }
        guard let root, case .mapping = root else {
            throw ConfigurationIssues([ConfigurationIssue([], "a price table is a mapping with effective_date, currency and models", location: source)])
        }
        let decoding = ConfigurationDecoding(root: root, overrides: ConfigurationOverrides())
        let table = decoding.decodeRoot(PriceSchedule.self)
        decoding.recordUnknownKeys()
        var issues = decoding.issues
        if let table {
            for issue in table.validate() {
                issues.append(LocatedIssue(path: issue.keyPath, message: issue.message, origin: decoding.origin(of: issue.keyPath)))
            }
        }
        guard let table, issues.isEmpty else {
            throw ConfigurationIssues(ConfigurationLoader.problems(issues, source: source))
        }
        return table
    }
}

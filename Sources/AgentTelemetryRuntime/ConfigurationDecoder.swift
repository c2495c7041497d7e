import AgentTelemetry
import Yams

// The one decoder of the configuration file: a `Decoder` over the Yams node tree (so every value
// keeps its line) that never stops at the first problem.
//
// - A value of the wrong type, or one its type refuses, is recorded as an issue at its key path,
//   and `decodeIfPresent` returns nil: the section keeps its default and decoding goes on.
// - Unknown keys are found afterwards, per mapping: the keys no container opened on that mapping
//   asked for (the union over all containers, so a section may read its own keys and hand the same
//   mapping to an inline sub-configuration).
// - Environment values (`ConfigurationOverrides`) are consulted as each key is read; a section
//   absent from the file is decoded from an empty mapping when the environment sets keys in it.
// - A probe decode (no file, `probing`) opens every section and notes every scalar key: the set
//   of `AGENT_TELEMETRY_*` variables is derived from the model that way.

/// Where the value being decoded comes from.
enum ConfigurationSource {
    /// A node of the file.
    case node(Node)
    /// An environment variable.
    case environment(EnvironmentValue)
    /// A mapping absent from the file that the environment sets keys in.
    case emptyMapping
    /// The probe decode: nothing is read, the shape is noted.
    case probe
}

/// Thrown once a problem has been recorded: the caller only stops decoding that value.
struct RecordedProblem: Error {}

/// Thrown by the probe decode when it reaches a scalar.
struct ProbeReachedScalar: Error {}

/// An issue with where its value came from.
struct LocatedIssue: Sendable, Hashable {
    /// Where a value came from.
    enum Origin: Sendable, Hashable {
        case file(line: Int)
        case environment(String)
        case none
    }
    var path: [String]
    var message: String
    var origin: Origin
}

/// One mapping of the file as the decoder saw it: an index of its keys and the keys asked for.
final class MappingRecord {
    let mapping: Node.Mapping
    /// Key text → value; built on the first lookup (a dictionary read whole never needs it).
    private(set) lazy var index: [String: (key: Node, value: Node)] = {
        var index: [String: (key: Node, value: Node)] = [:]
        index.reserveCapacity(mapping.count)
        for pair in mapping {
            if let text = pair.key.scalar?.string, index[text] == nil { index[text] = pair }
        }
        return index
    }()
    /// Keys some container asked for.
    var accepted: Set<String> = []
    /// A container listed all keys (a dictionary): every key is known.
    var acceptsAll = false
    /// Every key and value was already checked (a mapping of text read whole): nothing to walk.
    var checked = false

    init(_ mapping: Node.Mapping) { self.mapping = mapping }
}

/// The state shared by every container of one decode.
final class ConfigurationDecoding {
    let overrides: ConfigurationOverrides
    let probing: Bool
    /// The exporter and subscriber kinds whose sections may appear.
    let plugins: TelemetryPlugins
    private(set) var issues: [LocatedIssue] = []
    private var recorded: Set<String> = []
    private var mappings: [[String]: MappingRecord] = [:]
    /// Scalar key paths the probe reached, in order.
    private(set) var probedScalars: [[String]] = []
    private var probedScalarSet: Set<[String]> = []
    private let root: Node?

    /// A decode of `root` (nil for the probe, or a file without settings) with `overrides` on
    /// top, knowing the sections of `plugins`.
    init(root: Node?, overrides: ConfigurationOverrides, probing: Bool = false, plugins: TelemetryPlugins = .builtIn) {
        self.root = root
        self.overrides = overrides
        self.probing = probing
        self.plugins = plugins
    }

    /// Decodes `type` from the file's top level; nil only when the top level is unusable
    /// (recorded).
    func decodeRoot<T: Decodable>(_ type: T.Type) -> T? {
        let source: ConfigurationSource = probing ? .probe : root.map { .node($0) } ?? .emptyMapping
        return decode(type, path: [], source: source)
    }

    /// Decodes `type` at `path`; problems are recorded and give nil.
    func decode<T: Decodable>(_ type: T.Type, path: [String], source: ConfigurationSource) -> T? {
        let decoder = ConfigurationDecoder(session: self, path: path, source: source)
        do {
            if let lenient = T.self as? any LenientlyDecodable.Type {
                return try lenient.decodeLeniently(from: decoder) as? T
            }
            return try T(from: decoder)
        } catch is RecordedProblem {
            return nil
        } catch is ProbeReachedScalar {
            return nil
        } catch let error as DecodingError {
            record(error, at: path)
            return nil
        } catch {
            record(path, "\(error)")
            return nil
        }
    }

    // MARK: Recording

    /// Records a problem at `path` (once per path and message).
    func record(_ path: [String], _ message: String) {
        guard !probing else { return }
        let key = path.joined(separator: "\u{0}") + "\u{1}" + message
        guard recorded.insert(key).inserted else { return }
        issues.append(LocatedIssue(path: path, message: message, origin: origin(of: path)))
    }

    /// Records a decoding error at the path it names (or `fallback` when it names none).
    func record(_ error: DecodingError, at fallback: [String]) {
        func strings(_ keys: [any CodingKey]) -> [String] { keys.map(\.stringValue) }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            let path = strings(c.codingPath)
            record(path.starts(with: fallback) ? path : fallback, c.debugDescription)
        case .keyNotFound(let key, let c):
            let path = strings(c.codingPath) + [key.stringValue]
            record(path.starts(with: fallback) ? path : fallback, "is required")
        @unknown default:
            record(fallback, "\(error)")
        }
    }

    /// Notes a scalar key path reached by the probe.
    func noteProbedScalar(_ path: [String]) {
        if probedScalarSet.insert(path).inserted { probedScalars.append(path) }
    }

    // MARK: Mappings

    /// The record of the file mapping at `path` (one per path, shared by every container).
    func mappingRecord(at path: [String], _ mapping: Node.Mapping) -> MappingRecord {
        if let r = mappings[path] { return r }
        let r = MappingRecord(mapping)
        mappings[path] = r
        return r
    }

    /// Records every key of the file that no container asked for, with a "did you mean" among
    /// the keys that were asked for. Descends only into mappings that were decoded.
    func recordUnknownKeys() {
        guard let root else { return }
        walk(root, path: [])
    }

    private func walk(_ node: Node, path: [String]) {
        guard case .mapping = node, let record = mappings[path], !record.checked else { return }
        for pair in record.mapping {
            guard let name = pair.key.scalar?.string else {
                let line = pair.key.mark?.line
                issues.append(LocatedIssue(path: path, message: "keys must be plain text, not a list or mapping",
                                           origin: line.map { .file(line: $0) } ?? .none))
                continue
            }
            if record.acceptsAll || record.accepted.contains(name) {
                switch pair.value {
                case .mapping: walk(pair.value, path: path + [name])
                case .sequence(let items):
                    // Mappings in a list (`views:`, `models:`) were decoded under `name[i]`.
                    for (i, item) in items.enumerated() { walk(item, path: path + ["\(name)[\(i)]"]) }
                default: break
                }
            } else {
                let known = record.accepted.sorted()
                let message = "unknown key \(ConfigurationText.quotedForMessage(name))" + ConfigurationText.suggestion(for: name, among: known)
                issues.append(LocatedIssue(path: path + [name], message: message,
                                           origin: pair.key.mark.map { .file(line: $0.line) } ?? .none))
            }
        }
    }

    // MARK: Locations

    /// Where the value at `path` came from: the variable that set it, else the line of the
    /// nearest key of the file on the path.
    func origin(of path: [String]) -> LocatedIssue.Origin {
        if let v = overrides.value(at: path) { return .environment(v.variable) }
        var node = root
        var line: Int?
        var matched = 0
        for key in path {
            // `views[2]`: the key `views`, then item 2 of its list.
            var name = Substring(key)
            var item: Int?
            if key.hasSuffix("]"), let open = key.lastIndex(of: "["),
               let i = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]) {
                name = key[..<open]
                item = i
            }
            guard case .mapping(let m)? = node else { break }
            let record = mappings[Array(path.prefix(matched))] ?? MappingRecord(m)
            guard let pair = record.index[String(name)] else { break }
            line = pair.key.mark?.line
            node = pair.value
            if let item {
                guard case .sequence(let list)? = node, item >= 0, item < list.count else { break }
                let element = list[list.index(list.startIndex, offsetBy: item)]
                line = element.mark?.line ?? line
                node = element
            }
            matched += 1
        }
        if matched < path.count, let v = overrides.anyValue(under: Array(path.prefix(matched + 1))) {
            return .environment(v.variable)
        }
        return line.map { .file(line: $0) } ?? .none
    }
}

/// A coding key made of text (or an index).
struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// Types decoded entry by entry, so one bad entry is reported without losing the others.
protocol LenientlyDecodable {
    static func decodeLeniently(from decoder: ConfigurationDecoder) throws -> Self
}

extension Dictionary: LenientlyDecodable where Key == String, Value: Decodable {
    static func decodeLeniently(from decoder: ConfigurationDecoder) throws -> [String: Value] {
        if Value.self == String.self, let strings = try decoder.stringDictionary() as? [String: Value] { return strings }
        let c = try decoder.container(keyedBy: PathKey.self)
        let keys = c.allKeys
        var result: [String: Value] = [:]
        result.reserveCapacity(keys.count)
        for key in keys {
            if let value = try? c.decode(Value.self, forKey: key) { result[key.stringValue] = value }
        }
        return result
    }
}

extension Node {
    /// A plain `~`, `null` or nothing: YAML's null.
    var isNull: Bool {
        guard case .scalar(let s) = self, s.style == .plain || s.style == .any else { return false }
        switch s.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// What a message calls this node when it is not what was expected. A scalar is quoted (with
    /// URL credentials masked and long text shortened).
    var foundDescription: String {
        switch self {
        case .scalar: isNull ? "nothing" : ConfigurationText.quotedForMessage(scalar?.string ?? "")
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// A `Decoder` reading one value of the configuration.
struct ConfigurationDecoder: Decoder {
    let session: ConfigurationDecoding
    /// Key path from the top of the file.
    let path: [String]
    let source: ConfigurationSource
    /// The position in a list, for messages.
    var item: Int?

    init(session: ConfigurationDecoding, path: [String], source: ConfigurationSource, item: Int? = nil) {
        self.session = session
        self.path = path
        self.source = source
        self.item = item
    }

    var codingPath: [any CodingKey] { path.map { PathKey(stringValue: $0) } }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The path and message of a mismatch, for recording without throwing.
    func error<T>(_ type: T.Type, expected: String) -> (path: [String], message: String) {
        guard case .typeMismatch(_, let c) = mismatch(type, expected: expected) else { return (path, "expected \(expected)") }
        return (path, c.debugDescription)
    }

    /// A type-mismatch error: what was expected and what was found.
    func mismatch<T>(_ type: T.Type, expected: String) -> DecodingError {
        let found: String
        switch source {
        case .node(let node): found = node.foundDescription
        case .environment(let v): found = ConfigurationText.quotedForMessage(v.text)
        case .emptyMapping, .probe: found = "a mapping"
        }
        let prefix = item.map { "item \($0 + 1): " } ?? ""
        return DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "\(prefix)expected \(expected), found \(found)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch source {
        case .node(let node):
            guard case .mapping(let m) = node else { throw mismatch([String: String].self, expected: "a mapping") }
            return KeyedDecodingContainer(ConfigurationKeyedContainer<Key>(decoder: self, record: session.mappingRecord(at: path, m)))
        case .environment:
            throw mismatch([String: String].self, expected: "a mapping")
        case .emptyMapping, .probe:
            return KeyedDecodingContainer(ConfigurationKeyedContainer<Key>(decoder: self, record: nil))
        }
    }

    /// A mapping of text to text read directly, without a decoder per entry (attribute and
    /// header mappings can have 100,000 entries). Same rules as the general path: environment
    /// values win, a null or non-text value is recorded and left out.
    func stringDictionary() throws -> [String: String] {
        var result: [String: String] = [:]
        let environment = session.overrides.values[path] ?? [:]
        switch source {
        case .node(.mapping(let m)):
            let record = session.mappingRecord(at: path, m)
            record.acceptsAll = true
            record.checked = true
            result.reserveCapacity(m.count + environment.count)
            for pair in m {
                guard case .scalar(let k) = pair.key else {
                    session.record(path, "keys must be plain text, not a list or mapping")
                    continue
                }
                let key = k.string
                if !environment.isEmpty, environment[key] != nil { continue }
                if case .scalar(let s) = pair.value, !pair.value.isNull {
                    result[key] = s.string
                } else if pair.value.isNull {
                    session.record(path + [key], "has no value")
                } else {
                    let element = ConfigurationDecoder(session: session, path: path + [key], source: .node(pair.value))
                    session.record(path + [key], element.error(String.self, expected: "a string").message)
                }
            }
        case .node, .environment:
            throw mismatch([String: String].self, expected: "a mapping")
        case .emptyMapping, .probe:
            break
        }
        for (key, value) in environment { result[key] = value.text }
        return result
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch source {
        case .node(.sequence(let s)):
            return ConfigurationUnkeyedContainer(decoder: self, items: Array(s))
        case .probe:
            session.noteProbedScalar(path)
            throw ProbeReachedScalar()
        default:
            throw mismatch([String].self, expected: "a list")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        ConfigurationSingleValueContainer(decoder: self)
    }
}

/// Reads the keys of one mapping (of the file, of the environment, or both).
struct ConfigurationKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ConfigurationDecoder
    let record: MappingRecord?
    private let environmentValues: [String: EnvironmentValue]?
    private let environmentBranches: Set<String>?

    init(decoder: ConfigurationDecoder, record: MappingRecord?) {
        self.decoder = decoder
        self.record = record
        environmentValues = decoder.session.overrides.values[decoder.path]
        environmentBranches = decoder.session.overrides.branches[decoder.path]
        // A section's coding keys are its known keys, even those its decoding did not reach
        // (e.g. after a required key was missing).
        if let record, let keys = Key.self as? any CaseIterable.Type {
            record.accepted.formUnion(Self.names(of: keys))
        }
    }

    private static func names<K: CaseIterable>(of type: K.Type) -> [String] {
        K.allCases.compactMap { ($0 as? any CodingKey)?.stringValue }
    }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        record?.acceptsAll = true
        var names: [String] = record.map { r in r.mapping.compactMap { $0.key.scalar?.string } } ?? []
        var extra = Set(environmentValues?.keys ?? [:].keys).union(environmentBranches ?? [])
        if let record { extra = extra.filter { record.index[$0] == nil } }
        names += extra
        return names.compactMap { Key(stringValue: $0) }
    }

    private func accept(_ name: String) {
        record?.accepted.insert(name)
    }

    /// Where the value of `name` comes from; nil when absent (or null) everywhere.
    private func child(_ name: String) -> ConfigurationSource? {
        if let v = environmentValues?[name] { return .environment(v) }
        if let record, let pair = record.index[name], !pair.value.isNull { return .node(pair.value) }
        if environmentBranches?.contains(name) == true { return .emptyMapping }
        if decoder.session.probing { return .probe }
        return nil
    }

    func contains(_ key: Key) -> Bool {
        accept(key.stringValue)
        return child(key.stringValue) != nil
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        accept(key.stringValue)
        return child(key.stringValue) == nil
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { optionalValue(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try requiredValue(type, key) }

    /// The value of `key`, nil when absent or when it has a problem (recorded).
    private func optionalValue<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        let name = key.stringValue
        accept(name)
        guard let source = child(name) else { return nil }
        return decoder.session.decode(type, path: decoder.path + [name], source: source)
    }

    /// The value of `key`; a missing value or a problem is recorded and ends this value's decoding.
    private func requiredValue<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        let name = key.stringValue
        accept(name)
        let path = decoder.path + [name]
        guard let source = child(name) else {
            if decoder.session.probing { throw ProbeReachedScalar() }
            decoder.session.record(path, record?.index[name] != nil ? "has no value" : "is required")
            throw RecordedProblem()
        }
        guard let value = decoder.session.decode(type, path: path, source: source) else { throw RecordedProblem() }
        return value
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try requiredValue(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try requiredValue(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try requiredValue(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try requiredValue(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try requiredValue(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try requiredValue(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try requiredValue(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try requiredValue(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try requiredValue(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try requiredValue(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try requiredValue(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try requiredValue(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try requiredValue(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try requiredValue(type, key) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { optionalValue(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { optionalValue(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { optionalValue(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { optionalValue(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try superDecoder(forKey: key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try superDecoder(forKey: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        let name = key.stringValue
        accept(name)
        return ConfigurationDecoder(session: decoder.session, path: decoder.path + [name], source: child(name) ?? .emptyMapping)
    }
}

/// Reads a list of the file.
struct ConfigurationUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ConfigurationDecoder
    let items: [Node]
    private(set) var currentIndex = 0

    init(decoder: ConfigurationDecoder, items: [Node]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private func elementDecoder() throws -> ConfigurationDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has too few items"))
        }
        let item = items[currentIndex]
        // A mapping in a list (`views:`) gets a path of its own, `views[2]`: its keys are
        // recorded, checked and located per item. Scalars keep the list's path ("item 3: ...").
        if case .mapping = item, let last = decoder.path.last {
            let path = decoder.path.dropLast() + ["\(last)[\(currentIndex)]"]
            return ConfigurationDecoder(session: decoder.session, path: Array(path), source: .node(item), item: nil)
        }
        return ConfigurationDecoder(session: decoder.session, path: decoder.path, source: .node(item), item: currentIndex)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }

    private mutating func element<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try T(from: elementDecoder())
        currentIndex += 1
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    mutating func decode(_ type: String.Type) throws -> String { try element(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try element(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try element(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try element(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let d = try elementDecoder()
        currentIndex += 1
        return try d.container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let d = try elementDecoder()
        currentIndex += 1
        return try d.unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let d = try elementDecoder()
        currentIndex += 1
        return d
    }
}

/// Reads one scalar: YAML 1.2 core spellings for booleans and numbers, the text for strings.
struct ConfigurationSingleValueContainer: SingleValueDecodingContainer {
    let decoder: ConfigurationDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .node(let node) = decoder.source { return node.isNull }
        return false
    }

    /// The scalar's text, or a mismatch naming `expected`.
    private func text<T>(_ type: T.Type, expected: String) throws -> String {
        switch decoder.source {
        case .node(let node):
            guard case .scalar(let s) = node, !node.isNull else { throw decoder.mismatch(type, expected: expected) }
            return s.string
        case .environment(let v):
            return v.text
        case .emptyMapping:
            throw decoder.mismatch(type, expected: expected)
        case .probe:
            decoder.session.noteProbedScalar(decoder.path)
            throw ProbeReachedScalar()
        }
    }

    func decode(_ type: String.Type) throws -> String { try text(type, expected: "a string") }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch try text(type, expected: "true or false") {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw decoder.mismatch(type, expected: "true or false")
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        let t = try text(type, expected: "a number")
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default:
            // Swift's parser also takes "inf", "nan" and hex floats; YAML does not.
            guard let first = t.first, first.isNumber || first == "-" || first == "+" || first == ".",
                  !t.lowercased().contains("x"), let v = Double(t) else {
                throw decoder.mismatch(type, expected: "a number")
            }
            return v
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let t = try text(type, expected: "an integer")
        guard let v = I(t, radix: 10) else { throw decoder.mismatch(type, expected: "an integer") }
        return v
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}

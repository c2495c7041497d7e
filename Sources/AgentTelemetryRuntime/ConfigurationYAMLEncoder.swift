import AgentTelemetry

// The one emitter of configuration YAML: an `Encoder` that builds a tree from the sections'
// `Encodable` conformances (the same key names they decode) and prints it as block YAML.
// Secrets are masked by the sections themselves when they encode (tokens, passwords, header
// values), so nothing here knows a key; credentials in URLs are masked in every string here.
//
// Order: a mapping written through `CaseIterable` coding keys (a section) keeps the order the
// section wrote; any other mapping (a dictionary) is sorted, so the output is the same every run.

/// A node of the tree being encoded.
final class YAMLOutputNode {
    enum Content {
        case empty
        case scalar(String)
        case mapping
        case sequence
    }

    var content: Content = .empty
    private(set) var keys: [String] = []
    private var children: [String: YAMLOutputNode] = [:]
    var items: [YAMLOutputNode] = []
    /// Keys keep the order written (a section) rather than being sorted (a dictionary).
    var ordered = false

    func child(_ key: String) -> YAMLOutputNode {
        content = .mapping
        if let existing = children[key] { return existing }
        let node = YAMLOutputNode()
        keys.append(key)
        children[key] = node
        return node
    }

    func appendItem() -> YAMLOutputNode {
        content = .sequence
        let node = YAMLOutputNode()
        items.append(node)
        return node
    }

    /// The node as block YAML at `indent` levels.
    func render(into lines: inout [String], indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        let order = ordered ? keys : keys.sorted()
        for key in order {
            guard let value = children[key] else { continue }
            let label = pad + Self.key(key) + ":"
            switch value.content {
            case .empty: lines.append(label + " {}")
            case .scalar(let s): lines.append(label + " " + s)
            case .mapping where value.keys.isEmpty:
                lines.append(label + " {}")
            case .mapping:
                lines.append(label)
                value.render(into: &lines, indent: indent + 1)
            case .sequence:
                if value.items.allSatisfy({ if case .scalar = $0.content { true } else { false } }) {
                    let items = value.items.map { if case .scalar(let s) = $0.content { s } else { "" } }
                    lines.append(label + " [" + items.joined(separator: ", ") + "]")
                } else {
                    lines.append(label)
                    for item in value.items {
                        var nested: [String] = []
                        item.render(into: &nested, indent: indent + 2)
                        if let first = nested.first {
                            lines.append(pad + "  - " + first.drop { $0 == " " })
                            lines += nested.dropFirst()
                        }
                    }
                }
            }
        }
    }

    /// A key: bare when it is a plain identifier, quoted otherwise.
    static func key(_ k: String) -> String {
        let plain = !k.isEmpty && k.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
            && !((0x30...0x39).contains(k.utf8.first ?? 0)) && !["true", "false", "null", "yes", "no", "on", "off"].contains(k.lowercased())
        return plain ? k : CatalogDocument.quote(k)
    }

    static func number(_ v: Double) -> String {
        if v.isNaN { return ".nan" }
        if v.isInfinite { return v < 0 ? "-.inf" : ".inf" }
        return String(v)
    }
}

/// Encodes a value into a ``YAMLOutputNode`` tree.
struct YAMLTreeEncoder: Encoder {
    let node: YAMLOutputNode
    var codingPath: [any CodingKey] = []
    /// The printer of the effective configuration: sections write their secrets masked.
    var userInfo: [CodingUserInfoKey: Any] { [.maskingSecrets: true] }

    /// The value as block YAML, ending with a newline.
    static func yaml(_ value: some Encodable) throws -> String {
        let root = YAMLOutputNode()
        try value.encode(to: YAMLTreeEncoder(node: root))
        var lines: [String] = []
        root.render(into: &lines, indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = node.content { node.content = .mapping }
        if Key.self is any CaseIterable.Type { node.ordered = true }
        return KeyedEncodingContainer(YAMLKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.content = .sequence
        return YAMLUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        YAMLSingleValueContainer(node: node, codingPath: codingPath)
    }
}

struct YAMLKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: YAMLOutputNode
    var codingPath: [any CodingKey]

    private func encoder(_ key: Key) -> YAMLTreeEncoder {
        YAMLTreeEncoder(node: node.child(key.stringValue), codingPath: codingPath + [key])
    }

    mutating func encodeNil(forKey key: Key) throws { node.child(key.stringValue).content = .scalar("null") }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: String, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try value.encode(to: encoder(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try value.encode(to: encoder(key)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder(key).unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { YAMLTreeEncoder(node: node, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder(key) }
}

struct YAMLUnkeyedContainer: UnkeyedEncodingContainer {
    let node: YAMLOutputNode
    var codingPath: [any CodingKey]
    var count: Int { node.items.count }

    private func encoder() -> YAMLTreeEncoder {
        YAMLTreeEncoder(node: node.appendItem(), codingPath: codingPath + [PathKey(intValue: node.items.count)])
    }

    mutating func encodeNil() throws { node.appendItem().content = .scalar("null") }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Bool) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: String) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Double) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Float) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Int) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Int8) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Int16) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Int32) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: Int64) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: UInt) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: UInt8) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: UInt16) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: UInt32) throws { try value.encode(to: encoder()) }
    mutating func encode(_ value: UInt64) throws { try value.encode(to: encoder()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { encoder().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { encoder() }
}

/// Scalars: strings double-quoted (escaped), numbers and booleans bare.
struct YAMLSingleValueContainer: SingleValueEncodingContainer {
    let node: YAMLOutputNode
    var codingPath: [any CodingKey]

    private func set(_ text: String) { node.content = .scalar(text) }

    mutating func encodeNil() throws { set("null") }
    mutating func encode(_ value: Bool) throws { set(value ? "true" : "false") }
    /// Credentials in any URL are masked here, whatever key holds the text.
    mutating func encode(_ value: String) throws { set(CatalogDocument.quote(ConfigurationText.maskingCredentials(in: value))) }
    mutating func encode(_ value: Double) throws { set(YAMLOutputNode.number(value)) }
    mutating func encode(_ value: Float) throws { set(YAMLOutputNode.number(Double(value))) }
    mutating func encode(_ value: Int) throws { set(String(value)) }
    mutating func encode(_ value: Int8) throws { set(String(value)) }
    mutating func encode(_ value: Int16) throws { set(String(value)) }
    mutating func encode(_ value: Int32) throws { set(String(value)) }
    mutating func encode(_ value: Int64) throws { set(String(value)) }
    mutating func encode(_ value: UInt) throws { set(String(value)) }
    mutating func encode(_ value: UInt8) throws { set(String(value)) }
    mutating func encode(_ value: UInt16) throws { set(String(value)) }
    mutating func encode(_ value: UInt32) throws { set(String(value)) }
    mutating func encode(_ value: UInt64) throws { set(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: YAMLTreeEncoder(node: node, codingPath: codingPath)) }
}

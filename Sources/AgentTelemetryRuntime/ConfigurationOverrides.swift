/// A value set by an environment variable, and the variable that set it.
struct EnvironmentValue: Sendable, Hashable {
    /// The value as text, decoded like a scalar of the file.
    var text: String
    /// The variable's name, for messages.
    var variable: String
}

/// Values that replace or add to the file's, by key path: what the `OTEL_*` reader and the
/// `AGENT_TELEMETRY_*` rule produce. The decoder consults them as it reads each key, so the file
/// tree is never rewritten (which made 4,000 attributes cost 13 s).
struct ConfigurationOverrides: Sendable {
    /// Values by the key path of their mapping, then by key.
    private(set) var values: [[String]: [String: EnvironmentValue]] = [:]
    /// For a key path, the keys under it that lead to values further down.
    private(set) var branches: [[String]: Set<String>] = [:]

    /// Sets the value at `path` (a later value for the same path replaces an earlier one).
    /// Cost: one dictionary update, plus one per ancestor the first time a mapping gets a value.
    mutating func set(_ path: [String], _ text: String, from variable: String) {
        guard let key = path.last else { return }
        let parent = Array(path.dropLast())
        if values[parent] == nil {
            for depth in 0..<parent.count {
                branches[Array(parent.prefix(depth)), default: []].insert(parent[depth])
            }
        }
        values[parent, default: [:]][key] = EnvironmentValue(text: text, variable: variable)
    }

    /// Sets many keys of one mapping at once (`OTEL_RESOURCE_ATTRIBUTES` may hold 100,000).
    mutating func set(under parent: [String], _ entries: [(String, String)], from variable: String) {
        guard !entries.isEmpty else { return }
        if values[parent] == nil {
            for depth in 0..<parent.count {
                branches[Array(parent.prefix(depth)), default: []].insert(parent[depth])
            }
        }
        var mapping = values.removeValue(forKey: parent) ?? [:]
        mapping.reserveCapacity(mapping.count + entries.count)
        for (key, text) in entries { mapping[key] = EnvironmentValue(text: text, variable: variable) }
        values[parent] = mapping
    }

    /// The value at `path`, if one is set.
    func value(at path: [String]) -> EnvironmentValue? {
        guard let key = path.last else { return nil }
        return values[Array(path.dropLast())]?[key]
    }

    /// Some value set at or under `path`.
    func anyValue(under path: [String]) -> EnvironmentValue? {
        if let v = value(at: path) { return v }
        if let v = values[path]?.values.first { return v }
        guard let next = branches[path]?.first else { return nil }
        return anyValue(under: path + [next])
    }

    /// These values with `other`'s on top.
    func overlaid(with other: ConfigurationOverrides) -> ConfigurationOverrides {
        var result = self
        for (parent, entries) in other.values {
            for (key, value) in entries { result.set(parent + [key], value.text, from: value.variable) }
        }
        return result
    }
}

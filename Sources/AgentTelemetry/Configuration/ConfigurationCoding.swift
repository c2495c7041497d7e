extension KeyedDecodingContainer {
    /// A duration written as `15s`, `250ms` or a number of seconds, when the key is present.
    package func decodeDurationIfPresent(forKey key: Key) throws -> Duration? {
        try decodeIfPresent(ConfigDuration.self, forKey: key)?.duration
    }

    /// One of a choice's words, when the key is present.
    package func decodeChoiceIfPresent<V: ConfigurationChoice>(_ type: V.Type, forKey key: Key) throws -> V? {
        try decodeIfPresent(Spelled<V>.self, forKey: key)?.value
    }
}

extension KeyedEncodingContainer {
    /// Writes a duration in its shortest spelling (`15s`).
    package mutating func encodeDuration(_ duration: Duration, forKey key: Key) throws {
        try encode(ConfigDuration(duration), forKey: key)
    }

    /// Writes a choice as its word.
    package mutating func encodeChoice<V: ConfigurationChoice>(_ value: V, forKey key: Key) throws {
        try encode(Spelled(value), forKey: key)
    }
}

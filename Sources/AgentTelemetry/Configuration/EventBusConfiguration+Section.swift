extension OverflowPolicy: ConfigurationChoice {
    package static var spellings: [(name: String, value: OverflowPolicy)] {
        [("drop_oldest", .dropOldest), ("drop_newest", .dropNewest)]
    }
    package static var removedSpellings: [String: String] {
        ["suspend": "was removed: emit never blocks, so a full bus drops events; use drop_oldest or drop_newest"]
    }
}

/// The `bus:` section of the configuration file: `capacity`, `overflow_policy`, `subscriber_capacity`.
extension EventBusConfiguration: TelemetryConfigurationSection, Encodable {
    /// Accepted values of `capacity` and `subscriber_capacity` (events).
    public static let capacityLimits: ClosedRange<Int> = 16...100_000_000

    enum CodingKeys: String, CodingKey, CaseIterable {
        case capacity
        case overflowPolicy = "overflow_policy"
        case subscriberCapacity = "subscriber_capacity"
    }

    /// Decodes the section; absent keys keep their defaults (65,536, `drop_oldest`, 65,536).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        capacity = try c.decodeIfPresent(Int.self, forKey: .capacity) ?? capacity
        overflowPolicy = try c.decodeChoiceIfPresent(OverflowPolicy.self, forKey: .overflowPolicy) ?? overflowPolicy
        subscriberCapacity = try c.decodeIfPresent(Int.self, forKey: .subscriberCapacity) ?? subscriberCapacity
    }

    /// Writes the section as the file spells it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(capacity, forKey: .capacity)
        try c.encodeChoice(overflowPolicy, forKey: .overflowPolicy)
        try c.encode(subscriberCapacity, forKey: .subscriberCapacity)
    }

    /// Buffer sizes out of ``capacityLimits``. Cost: two comparisons.
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        let limits = Self.capacityLimits
        for (key, value) in [(CodingKeys.capacity, capacity), (.subscriberCapacity, subscriberCapacity)] where !limits.contains(value) {
            issues.append(ConfigurationIssue([key.rawValue], "\(value) is out of range \(limits.lowerBound)…\(limits.upperBound)"))
        }
        return issues
    }
}

/// The agent discovered (or re-assessed) a skill.
public struct SkillDiscovered: TelemetryEvent {
    public static let eventName = "skill_discovered"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When it happened.
    public var timestamp: EventTimestamp
    /// Skill name (bounded by the cardinality limit).
    public var skill: String
    /// Assessed proficiency, 0…1, if known.
    public var proficiency: Double?

    /// Creates the event.
    public init(skill: String, proficiency: Double? = nil, timestamp: EventTimestamp = .now) {
        self.skill = skill
        self.proficiency = proficiency
        self.timestamp = timestamp
    }
}

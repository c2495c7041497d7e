extension SkillDiscovered: StandardEvent {
    /// `skills_discovered_total`.
    public static let discovered = MetricDescriptor(
        "skills_discovered_total", .counter, help: "Skills discovered by the agent.", unit: .annotation("skill"), category: .agentic)
    /// `skill_proficiency_score{skill}`.
    public static let proficiencyScore = MetricDescriptor(
        "skill_proficiency_score", .gauge, help: "Latest assessed proficiency by skill (0 to 1).",
        unit: .count, labels: ["skill"], category: .agentic, labelGuidance: ["skill": "skill names; bounded by the cardinality limit"])

    public static var metrics: [MetricDescriptor] { [discovered, proficiencyScore] }

    public func record(into m: StandardMetrics, exemplar: TraceReference?) {
        m.counter(Self.discovered)?.series.increment(exemplar: exemplar)
        if let p = proficiency, p.isFinite {
            m.gauge(Self.proficiencyScore)?.labels(skill).set(min(1, max(0, p)))
        }
    }
}

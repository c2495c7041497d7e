/// A code analysis or review finished (coding vertical).
public struct CodeAnalysisCompleted: TelemetryEvent {
    public static let eventName = "code_analysis_completed"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Main language analysed (`swift`, `python`, ...).
    public var language: String
    /// Files analysed.
    public var filesAnalyzed: Int
    /// Lines of code reviewed.
    public var linesReviewed: Int
    /// Issues found, by severity.
    public var issues: [Severity: Int]
    /// How long it took.
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome

    /// Creates the event.
    public init(language: String, filesAnalyzed: Int, linesReviewed: Int, issues: [Severity: Int] = [:],
                duration: Duration, outcome: Outcome = .success, timestamp: EventTimestamp = .now) {
        self.language = language
        self.filesAnalyzed = filesAnalyzed
        self.linesReviewed = linesReviewed
        self.issues = issues
        self.duration = duration
        self.outcome = outcome
        self.timestamp = timestamp
    }
}

/// A RAG index reported its size.
public struct IndexSizeReported: TelemetryEvent {
    public static let eventName = "index_size_reported"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    public var timestamp: EventTimestamp
    /// Index name.
    public var index: String
    /// Documents in the index.
    public var documents: Int
    /// Bytes the index takes.
    public var bytes: Int

    /// Creates the event.
    public init(index: String, documents: Int, bytes: Int, timestamp: EventTimestamp = .now) {
        self.index = index
        self.documents = documents
        self.bytes = bytes
        self.timestamp = timestamp
    }
}

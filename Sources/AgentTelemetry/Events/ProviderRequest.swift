/// A request to an LLM provider finished.
public struct ProviderRequest: TelemetryEvent {
    public static let eventName = "provider_request"
    /// The trace this event's exemplars point to. Nil (the default) lets `emit` take the trace
    /// current in the emitting task from the configured `ExemplarSource`.
    public var trace: TraceReference? = nil
    /// When the request finished.
    public var timestamp: EventTimestamp
    /// The provider (`gen_ai.provider.name`).
    public var provider: Provider
    /// The requested model (`gen_ai.request.model`; free-form, bounded by the cardinality limit).
    public var model: String
    /// The operation (`gen_ai.operation.name`).
    public var operation: GenAIOperation
    /// How it ended.
    public var outcome: Outcome
    /// Total latency.
    public var latency: Duration
    /// Prompt tokens, as the provider reports them (OpenAI `prompt_tokens`, which include cached
    /// ones; Anthropic `input_tokens`, which do not — see ``TokenReporting``).
    public var inputTokens: Int
    /// Completion tokens, as reported (OpenAI's include reasoning tokens).
    public var outputTokens: Int
    /// Prompt tokens read from the provider's cache (OpenAI `cached_tokens`, Anthropic
    /// `cache_read_input_tokens`).
    public var cacheReadTokens: Int
    /// Prompt tokens written to the cache (Anthropic `cache_creation_input_tokens`).
    public var cacheCreationTokens: Int
    /// Reasoning tokens (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`).
    public var reasoningTokens: Int
    /// Time until the first streamed chunk, for streaming requests.
    public var timeToFirstToken: Duration?
    /// Why it failed (`error.type`), when it did.
    public var errorType: ErrorType?
    /// The session the request served, when known (never a label; for subscribers such as budget guards).
    public var sessionID: String?
    /// The model the provider says answered (`gen_ai.response.model`), when it reports one; it
    /// often names a dated snapshot of the requested model.
    public var responseModel: String?
    /// The provider endpoint's host (`server.address`), exported only where a view opts in.
    public var serverAddress: String?
    /// The provider endpoint's port (`server.port`), exported only where a view opts in.
    public var serverPort: Int?
    /// For a streamed response, the time between consecutive chunks after the first, each from
    /// the end of the previous chunk to the end of the next (`gen_ai.client.operation.time_per_output_chunk`).
    public var outputChunkIntervals: [Duration]
    /// The agent the request was made for (`gen_ai.agent.name`): by default the one whose
    /// `track(agent:)` encloses the emitting task (see ``WorkContext``).
    public var agentName: String?
    /// The tool-calling step the request was made in: by default the tool whose `track(tool:)`
    /// encloses the emitting task.
    public var toolName: String?

    /// Creates the event.
    public init(provider: Provider, model: String, operation: GenAIOperation = .chat, outcome: Outcome,
                latency: Duration, inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0,
                cacheCreationTokens: Int = 0, reasoningTokens: Int = 0, timeToFirstToken: Duration? = nil,
                errorType: ErrorType? = nil, sessionID: String? = nil, responseModel: String? = nil,
                serverAddress: String? = nil, serverPort: Int? = nil, outputChunkIntervals: [Duration] = [],
                agentName: String? = WorkContext.current.agent, toolName: String? = WorkContext.current.tool,
                timestamp: EventTimestamp = .now) {
        self.sessionID = sessionID
        self.responseModel = responseModel
        self.serverAddress = serverAddress
        self.serverPort = serverPort
        self.outputChunkIntervals = outputChunkIntervals
        self.agentName = agentName
        self.toolName = toolName
        self.provider = provider
        self.model = model
        self.operation = operation
        self.outcome = outcome
        self.latency = latency
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheCreationTokens = cacheCreationTokens
        self.reasoningTokens = reasoningTokens
        self.timeToFirstToken = timeToFirstToken
        self.errorType = errorType
        self.timestamp = timestamp
    }

    /// The token counts as reported.
    public var tokens: TokenCounts {
        TokenCounts(input: inputTokens, output: outputTokens, cacheRead: cacheReadTokens,
                    cacheCreation: cacheCreationTokens, reasoning: reasoningTokens)
    }
}

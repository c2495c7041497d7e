/// A value that becomes a metric label: a closed set of well-known cases plus a `custom` escape.
public protocol LabelValueConvertible: Sendable, Hashable {
    /// The label value, snake_case for the known cases.
    var labelValue: String { get }
}

/// How a piece of work ended.
public enum Outcome: LabelValueConvertible {
    /// It did what was asked.
    case success
    /// It failed.
    case failure
    /// It ran out of time.
    case timeout
    /// It was cancelled before finishing.
    case cancelled
    /// It partially succeeded.
    case partial
    /// Anything else, named by the caller.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .timeout: "timeout"
        case .cancelled: "cancelled"
        case .partial: "partial"
        case .custom(let s): s
        }
    }

    /// Whether this counts as success in success ratios.
    public var isSuccess: Bool { self == .success }
}

/// Why something failed: a small closed set for dashboards, plus `custom`.
public enum ErrorType: LabelValueConvertible {
    /// The operation timed out.
    case timeout
    /// The provider or service refused because of a rate limit (HTTP 429).
    case rateLimited
    /// A network or connection failure.
    case network
    /// Missing or invalid credentials (HTTP 401/403).
    case authentication
    /// The request was malformed or rejected as invalid (HTTP 400/404/422).
    case invalidRequest
    /// The content was blocked by a safety filter.
    case contentFilter
    /// The server failed (HTTP 5xx).
    case serverError
    /// The operation was cancelled.
    case cancelled
    /// Anything else, typically the Swift error type's name.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .timeout: "timeout"
        case .rateLimited: "rate_limited"
        case .network: "network"
        case .authentication: "authentication"
        case .invalidRequest: "invalid_request"
        case .contentFilter: "content_filter"
        case .serverError: "server_error"
        case .cancelled: "cancelled"
        case .custom(let s): s
        }
    }

    /// Classifies a thrown error: `CancellationError` → `.cancelled`, an `ErrorTypeProviding`
    /// error → its own type, anything else → `.custom(<Swift type name>)`.
    public init(_ error: any Error) {
        if error is CancellationError {
            self = .cancelled
        } else if let typed = error as? any ErrorTypeProviding {
            self = typed.telemetryErrorType
        } else {
            self = .custom(String(describing: type(of: error)))
        }
    }

    /// Classifies an HTTP status; `nil` for statuses below 400.
    public init?(httpStatus: Int) {
        switch httpStatus {
        case ..<400: return nil
        case 401, 403: self = .authentication
        case 408, 504: self = .timeout
        case 429: self = .rateLimited
        case 400..<500: self = .invalidRequest
        default: self = .serverError
        }
    }
}

/// An error that knows its telemetry classification.
public protocol ErrorTypeProviding: Error {
    /// How this error is labelled in metrics.
    var telemetryErrorType: ErrorType { get }
}

/// The product verticals agent work is attributed to.
public enum Vertical: LabelValueConvertible, CaseIterable {
    /// Code analysis, review, generation.
    case coding
    /// Retrieval-augmented generation.
    case rag
    /// Deployments, infrastructure, CI.
    case devops
    /// Queries and visualisations over data.
    case dataAnalysis
    /// Web and literature research.
    case research
    /// Work not attributed to a vertical.
    case general
    /// Anything else, named by the caller.
    case custom(String)

    public static var allCases: [Vertical] { [.coding, .rag, .devops, .dataAnalysis, .research, .general] }

    public var labelValue: String {
        switch self {
        case .coding: "coding"
        case .rag: "rag"
        case .devops: "devops"
        case .dataAnalysis: "data_analysis"
        case .research: "research"
        case .general: "general"
        case .custom(let s): s
        }
    }
}

/// An LLM provider, spelled as the OpenTelemetry GenAI conventions' `gen_ai.provider.name`.
public enum Provider: LabelValueConvertible {
    /// OpenAI.
    case openAI
    /// Anthropic.
    case anthropic
    /// Google Gemini API.
    case gcpGemini
    /// Google Vertex AI.
    case gcpVertexAI
    /// AWS Bedrock.
    case awsBedrock
    /// Azure OpenAI.
    case azureOpenAI
    /// Cohere.
    case cohere
    /// Mistral AI.
    case mistralAI
    /// Groq.
    case groq
    /// DeepSeek.
    case deepSeek
    /// Any other provider (a self-hosted model server, say).
    case custom(String)

    public var labelValue: String {
        switch self {
        case .openAI: "openai"
        case .anthropic: "anthropic"
        case .gcpGemini: "gcp.gemini"
        case .gcpVertexAI: "gcp.vertex_ai"
        case .awsBedrock: "aws.bedrock"
        case .azureOpenAI: "azure.ai.openai"
        case .cohere: "cohere"
        case .mistralAI: "mistral_ai"
        case .groq: "groq"
        case .deepSeek: "deepseek"
        case .custom(let s): s
        }
    }
}

/// The kind of GenAI operation (`gen_ai.operation.name`).
public enum GenAIOperation: LabelValueConvertible {
    /// Chat completion.
    case chat
    /// Legacy text completion.
    case textCompletion
    /// Embeddings.
    case embeddings
    /// Content generation (multimodal APIs).
    case generateContent
    /// A tool call executed by an agent.
    case executeTool
    /// An agent invocation.
    case invokeAgent
    /// Anything else.
    case custom(String)

    public var labelValue: String {
        switch self {
        case .chat: "chat"
        case .textCompletion: "text_completion"
        case .embeddings: "embeddings"
        case .generateContent: "generate_content"
        case .executeTool: "execute_tool"
        case .invokeAgent: "invoke_agent"
        case .custom(let s): s
        }
    }
}

/// A kind of LLM token, as providers report and bill them. The label value of `token_type`.
///
/// `input` and `output` are the OpenTelemetry GenAI conventions' `gen_ai.token.type` values; the
/// conventions define no value for the other three, so these names are this library's
/// (documented in docs/PRODUCTION_METRICS.md).
public enum TokenKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Prompt tokens (see ``TokenReporting`` for whether a provider's count includes cached ones).
    case input
    /// Completion tokens (see ``TokenReporting`` for whether reasoning tokens are part of them).
    case output
    /// Prompt tokens read from the provider's prompt cache (OpenAI `cached_tokens`, Anthropic
    /// `cache_read_input_tokens`).
    case cacheRead = "cache_read"
    /// Prompt tokens written to the prompt cache (Anthropic `cache_creation_input_tokens`).
    case cacheCreation = "cache_creation"
    /// Reasoning ("thinking") tokens (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`).
    case reasoning

    /// The label value.
    public var labelValue: String { rawValue }
}

/// The token counts of one LLM call, each as the provider reported it.
public struct TokenCounts: Sendable, Hashable {
    /// Prompt tokens as reported (OpenAI: cached ones included; Anthropic: excluded).
    public var input: Int
    /// Completion tokens as reported (OpenAI: reasoning included; Gemini: excluded).
    public var output: Int
    /// Prompt tokens read from the cache.
    public var cacheRead: Int
    /// Prompt tokens written to the cache.
    public var cacheCreation: Int
    /// Reasoning tokens.
    public var reasoning: Int

    /// Creates counts; negative counts are treated as 0 when billed.
    public init(input: Int = 0, output: Int = 0, cacheRead: Int = 0, cacheCreation: Int = 0, reasoning: Int = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
        self.reasoning = reasoning
    }

    /// The count of one kind, as reported.
    public subscript(kind: TokenKind) -> Int {
        switch kind {
        case .input: input
        case .output: output
        case .cacheRead: cacheRead
        case .cacheCreation: cacheCreation
        case .reasoning: reasoning
        }
    }

    /// The tokens billed at each kind's rate: a count that a provider reports inside another
    /// (OpenAI's cached tokens inside its prompt tokens) is taken out of the other, so no token
    /// is billed twice. Never negative.
    public func billed(_ reporting: TokenReporting) -> TokenCounts {
        let cacheRead = max(0, self.cacheRead), cacheCreation = max(0, self.cacheCreation), reasoning = max(0, self.reasoning)
        var input = max(0, self.input)
        if reporting.inputIncludesCacheRead { input -= min(input, cacheRead) }
        if reporting.inputIncludesCacheCreation { input -= min(input, cacheCreation) }
        var output = max(0, self.output)
        if reporting.outputIncludesReasoning { output -= min(output, reasoning) }
        return TokenCounts(input: input, output: output, cacheRead: cacheRead, cacheCreation: cacheCreation, reasoning: reasoning)
    }
}

/// How a provider's usage fields nest: which counts are already part of others.
public struct TokenReporting: Sendable, Hashable {
    /// The prompt count includes tokens read from the cache (OpenAI, Gemini).
    public var inputIncludesCacheRead: Bool
    /// The prompt count includes tokens written to the cache.
    public var inputIncludesCacheCreation: Bool
    /// The completion count includes reasoning tokens (OpenAI).
    public var outputIncludesReasoning: Bool

    /// Creates a reporting convention.
    public init(inputIncludesCacheRead: Bool, inputIncludesCacheCreation: Bool, outputIncludesReasoning: Bool) {
        self.inputIncludesCacheRead = inputIncludesCacheRead
        self.inputIncludesCacheCreation = inputIncludesCacheCreation
        self.outputIncludesReasoning = outputIncludesReasoning
    }

    /// OpenAI and Azure OpenAI: `prompt_tokens` include `cached_tokens`, `completion_tokens`
    /// include `reasoning_tokens`.
    public static let openAI = TokenReporting(inputIncludesCacheRead: true, inputIncludesCacheCreation: true, outputIncludesReasoning: true)
    /// Anthropic (also through Bedrock): `input_tokens` exclude cache reads and writes.
    public static let anthropic = TokenReporting(inputIncludesCacheRead: false, inputIncludesCacheCreation: false, outputIncludesReasoning: true)
    /// Gemini: `promptTokenCount` includes `cachedContentTokenCount`; `candidatesTokenCount`
    /// excludes `thoughtsTokenCount`.
    public static let gemini = TokenReporting(inputIncludesCacheRead: true, inputIncludesCacheCreation: true, outputIncludesReasoning: false)

    /// The convention of a provider (by its label value). Providers not listed are assumed to
    /// report like OpenAI, the API most of them imitate; models served through Bedrock whose
    /// name starts with `anthropic.` or contains `claude` report like Anthropic.
    public static func of(provider: String, model: String = "") -> TokenReporting {
        switch provider {
        case "anthropic": .anthropic
        case "gcp.gemini", "gcp.vertex_ai": model.contains("claude") ? .anthropic : .gemini
        case "aws.bedrock": (model.hasPrefix("anthropic.") || model.contains("claude")) ? .anthropic : .openAI
        default: .openAI
        }
    }
}

/// A model's prices in US dollars per million tokens. Kinds without a price of their own are
/// billed at the rate providers use when they publish none: cache reads and writes at the input
/// price, reasoning at the output price.
public struct ModelRates: Sendable, Hashable {
    /// The highest price accepted, USD per million tokens (one dollar a token, over a thousand
    /// times the dearest model billed today). A price of 1e308 made every cost increment
    /// overflow; with this bound a call of a billion tokens still costs a finite amount.
    public static let maximumPerMillion: Double = 1_000_000

    /// Why `price` cannot be a price (not finite, negative, above ``maximumPerMillion``); nil when it can.
    public static func priceProblem(_ price: Double) -> String? {
        guard price.isFinite, price >= 0 else { return "prices must be finite and not negative" }
        guard price <= maximumPerMillion else {
            return "\(price) is above the highest price accepted, \(Int(maximumPerMillion)) USD per million tokens"
        }
        return nil
    }

    /// USD per 1M prompt tokens.
    public var input: Double
    /// USD per 1M completion tokens.
    public var output: Double
    /// USD per 1M tokens read from the cache (default: `input`).
    public var cacheRead: Double?
    /// USD per 1M tokens written to the cache (default: `input`).
    public var cacheWrite: Double?
    /// USD per 1M reasoning tokens (default: `output`).
    public var reasoning: Double?

    /// Creates rates.
    public init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil, reasoning: Double? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
        self.reasoning = reasoning
    }

    /// The rate of one kind, with the defaults applied.
    public func rate(_ kind: TokenKind) -> Double {
        switch kind {
        case .input: input
        case .output: output
        case .cacheRead: cacheRead ?? input
        case .cacheCreation: cacheWrite ?? input
        case .reasoning: reasoning ?? output
        }
    }

    /// Every price set, by its key in a file (`input`, `cache_read`, …), for validation.
    package var all: [(String, Double)] {
        [("input", input), ("output", output)] + [("cache_read", cacheRead), ("cache_write", cacheWrite), ("reasoning", reasoning)]
            .compactMap { name, v in v.map { (name, $0) } }
    }
}

/// A versioned price table: the prices in force from one date, per provider and model.
///
/// Models are matched by exact name or alias first (over the whole table), then by glob
/// (`claude-sonnet-4*`; `*` any run, `?` one character) in table order — put the more specific
/// pattern first. An entry's provider is a label value (`openai`, `anthropic`, …) or `*`.
public struct PriceSchedule: Sendable, Hashable {
    /// One priced model.
    public struct Entry: Sendable, Hashable {
        /// Provider label value, or `*` for any.
        public var provider: String
        /// Model name or glob.
        public var model: String
        /// Other exact names of the same model (dated snapshots, deployment names).
        public var aliases: [String]
        /// Its prices.
        public var rates: ModelRates
        /// Required prices a file left out (reported by `validate()`).
        package var missingPrices: [String] = []

        /// Creates an entry.
        public init(provider: String, model: String, aliases: [String] = [], rates: ModelRates) {
            self.provider = provider
            self.model = model
            self.aliases = aliases
            self.rates = rates
        }

        var isGlob: Bool { model.utf8.contains { $0 == 42 || $0 == 63 } }

        func providerMatches(_ p: String) -> Bool { provider == "*" || provider == p }
    }

    /// The date from which these prices apply (`YYYY-MM-DD`).
    public var effectiveDate: String
    /// The currency; only `USD` is accepted (the cost metric is in dollars).
    public var currency: String
    /// The entries, in precedence order for glob matching.
    public var entries: [Entry]

    /// An empty table: every model is unpriced.
    public static let empty = PriceSchedule(effectiveDate: "", entries: [])

    /// Creates a table.
    public init(effectiveDate: String, currency: String = "USD", entries: [Entry]) {
        self.effectiveDate = effectiveDate
        self.currency = currency
        self.entries = entries
    }

    /// The rates for a provider's model; `nil` when the table has none.
    /// Cost: a pass over the entries (callers cache per model).
    public func rates(provider: String, model: String) -> ModelRates? {
        if let e = entries.first(where: { !$0.isGlob && $0.providerMatches(provider) && ($0.model == model || $0.aliases.contains(model)) }) {
            return e.rates
        }
        let name = Array(model.utf8)
        return entries.first { $0.isGlob && $0.providerMatches(provider) && Glob.matches(pattern: Array($0.model.utf8), name: name) }?.rates
    }

    /// The cost in USD of one call by token kind (kinds with no tokens left out); `nil` when the
    /// model has no price.
    public func cost(provider: String, model: String, tokens: TokenCounts) -> [(kind: TokenKind, usd: Double)]? {
        guard let r = rates(provider: provider, model: model) else { return nil }
        return Self.cost(tokens, rates: r, reporting: .of(provider: provider, model: model))
    }

    /// The cost of `tokens` at `rates`, with the provider's reporting convention.
    public static func cost(_ tokens: TokenCounts, rates: ModelRates, reporting: TokenReporting) -> [(kind: TokenKind, usd: Double)] {
        let billed = tokens.billed(reporting)
        return TokenKind.allCases.compactMap { kind in
            let n = billed[kind]
            return n > 0 ? (kind, Double(n) * rates.rate(kind) / 1_000_000) : nil
        }
    }

    /// This table with `overrides` in front (exact `provider/model` or `model` keys, as in
    /// `metrics.prices`): they win over the table's entries.
    public func overridden(by overrides: [String: ModelRates]) -> PriceSchedule {
        var out = self
        let front = overrides.sorted { $0.key < $1.key }.map { key, rates -> Entry in
            if let slash = key.firstIndex(of: "/") {
                return Entry(provider: String(key[..<slash]), model: String(key[key.index(after: slash)...]), rates: rates)
            }
            return Entry(provider: "*", model: key, rates: rates)
        }
        // Provider-specific keys before bare model keys, so `openai/gpt-4o` wins over `gpt-4o`.
        out.entries = front.filter { $0.provider != "*" } + front.filter { $0.provider == "*" } + entries
        return out
    }

    /// Every problem of the table, with paths (`models[3].cache_read`).
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if !effectiveDate.isEmpty && !Self.isDate(effectiveDate) {
            issues.append(ConfigurationIssue(["effective_date"], "\(ConfigurationText.quotedForMessage(effectiveDate)) is not a date (YYYY-MM-DD)"))
        }
        if currency != "USD" {
            issues.append(ConfigurationIssue(["currency"], "\(ConfigurationText.quotedForMessage(currency)) is not supported: prices must be in USD"))
        }
        var seen: [String: Int] = [:]
        for (i, e) in entries.enumerated() {
            let path = ["models[\(i)]"]
            if e.provider.isEmpty { issues.append(ConfigurationIssue(path + ["provider"], "must name a provider label value or be \"*\"")) }
            if e.model.isEmpty { issues.append(ConfigurationIssue(path + ["model"], "must name a model or a glob")) }
            for name in e.missingPrices { issues.append(ConfigurationIssue(path + [name], "is required (USD per million tokens)")) }
            for (name, v) in e.rates.all {
                if let problem = ModelRates.priceProblem(v) { issues.append(ConfigurationIssue(path + [name], problem)) }
            }
            for name in [e.model] + e.aliases where !e.isGlob || name != e.model {
                let key = e.provider + "/" + name
                if let first = seen[key] {
                    issues.append(ConfigurationIssue(path + ["model"], "\(ConfigurationText.quotedForMessage(name)) of \(e.provider) is already priced by models[\(first)]"))
                } else {
                    seen[key] = i
                }
            }
        }
        return issues
    }

    /// Whether `s` is `YYYY-MM-DD` with a plausible month and day.
    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return false }
        return y >= 2000 && (1...12).contains(m) && (1...31).contains(d)
    }
}

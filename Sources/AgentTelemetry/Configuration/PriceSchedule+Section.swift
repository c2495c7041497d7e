/// A price table file:
///
/// ```yaml
/// effective_date: 2025-11-01     # the prices in force from this date
/// currency: USD
/// models:                        # exact names and aliases first, then globs in this order
///   - provider: anthropic        # a provider label value, or "*"
///     model: claude-sonnet-4*    # a name or a glob
///     aliases: []                # other exact names
///     input: 3                   # USD per million tokens
///     output: 15
///     cache_read: 0.30           # default: the input price
///     cache_write: 3.75          # default: the input price
///     reasoning: 15              # default: the output price
/// ```
extension PriceSchedule: TelemetryConfigurationSection, Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case effectiveDate = "effective_date"
        case currency, models
    }

    /// Decodes a table; `effective_date` and `models` are required.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(effectiveDate: try c.decode(String.self, forKey: .effectiveDate),
                  currency: try c.decodeIfPresent(String.self, forKey: .currency) ?? "USD",
                  entries: try c.decode([Entry].self, forKey: .models))
    }

    /// Writes the table as a file spells it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(effectiveDate, forKey: .effectiveDate)
        try c.encode(currency, forKey: .currency)
        try c.encode(entries, forKey: .models)
    }
}

extension PriceSchedule.Entry: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case provider, model, aliases, input, output, reasoning
        case cacheRead = "cache_read"
        case cacheWrite = "cache_write"
    }

    /// Decodes one model; `provider`, `model`, `input` and `output` are required. A missing one
    /// is reported by `PriceSchedule.validate()` with the rest of the file's problems.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let input = try c.decodeIfPresent(Double.self, forKey: .input)
        let output = try c.decodeIfPresent(Double.self, forKey: .output)
        self.init(provider: try c.decodeIfPresent(String.self, forKey: .provider) ?? "",
                  model: try c.decodeIfPresent(String.self, forKey: .model) ?? "",
                  aliases: try c.decodeIfPresent([String].self, forKey: .aliases) ?? [],
                  rates: ModelRates(input: input ?? 0, output: output ?? 0,
                                    cacheRead: try c.decodeIfPresent(Double.self, forKey: .cacheRead),
                                    cacheWrite: try c.decodeIfPresent(Double.self, forKey: .cacheWrite),
                                    reasoning: try c.decodeIfPresent(Double.self, forKey: .reasoning)))
        missingPrices = [input == nil ? "input" : nil, output == nil ? "output" : nil].compactMap { $0 }
    }

    /// Writes the entry; unset prices are left out.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(provider, forKey: .provider)
        try c.encode(model, forKey: .model)
        if !aliases.isEmpty { try c.encode(aliases, forKey: .aliases) }
        try c.encode(rates.input, forKey: .input)
        try c.encode(rates.output, forKey: .output)
        try c.encodeIfPresent(rates.cacheRead, forKey: .cacheRead)
        try c.encodeIfPresent(rates.cacheWrite, forKey: .cacheWrite)
        try c.encodeIfPresent(rates.reasoning, forKey: .reasoning)
    }
}

import AgentTelemetry
import AgentTelemetryTestSupport
import AgentTelemetryTesting
import Testing

/// Cost as providers bill it: five token kinds, each provider's way of nesting its counts,
/// versioned tables with aliases and globs.
struct PricingTests {
    /// A test table (not the shipped one): round numbers so expected costs are easy to check.
    static let table = PriceSchedule(effectiveDate: "2026-01-01", entries: [
        .init(provider: "anthropic", model: "claude-sonnet-4-5*", rates: ModelRates(input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75)),
        .init(provider: "anthropic", model: "claude-sonnet-4*", rates: ModelRates(input: 4, output: 20)),
        .init(provider: "openai", model: "gpt-4o", aliases: ["gpt-4o-2024-11-20"], rates: ModelRates(input: 2.5, output: 10, cacheRead: 1.25)),
        .init(provider: "*", model: "o3", rates: ModelRates(input: 2, output: 8, cacheRead: 0.5, reasoning: 9)),
    ])

    static func total(_ parts: [(kind: TokenKind, usd: Double)]?) -> Double? {
        parts.map { $0.reduce(0) { $0 + $1.usd } }
    }

    @Test func anthropicCountsAreSeparateAndEachKindHasItsRate() throws {
        // input_tokens 10,000 (without the cache), cache read 200,000, cache write 50,000, output 2,000.
        let tokens = TokenCounts(input: 10_000, output: 2_000, cacheRead: 200_000, cacheCreation: 50_000)
        let parts = try #require(Self.table.cost(provider: "anthropic", model: "claude-sonnet-4-5-20250929", tokens: tokens))
        let byKind = Dictionary(uniqueKeysWithValues: parts.map { ($0.kind, $0.usd) })
        #expect(byKind[.input] == 0.03)          // 10k × $3/M
        #expect(byKind[.cacheRead] == 0.06)      // 200k × $0.30/M
        #expect(byKind[.cacheCreation] == 0.1875) // 50k × $3.75/M
        #expect(byKind[.output] == 0.03)         // 2k × $15/M
        #expect(byKind[.reasoning] == nil)
        #expect(abs((Self.total(parts) ?? 0) - 0.3075) < 1e-12)
    }

    @Test func openAICachedAndReasoningTokensAreInsideTheirTotalsAndNotBilledTwice() throws {
        // prompt_tokens 100,000 of which cached 60,000; completion_tokens 10,000 of which reasoning 4,000.
        let tokens = TokenCounts(input: 100_000, output: 10_000, cacheRead: 60_000, reasoning: 4_000)
        let parts = try #require(Self.table.cost(provider: "openai", model: "o3", tokens: tokens))
        let byKind = Dictionary(uniqueKeysWithValues: parts.map { ($0.kind, $0.usd) })
        #expect(byKind[.input] == 0.08)       // (100k − 60k) × $2/M
        #expect(byKind[.cacheRead] == 0.03)   // 60k × $0.50/M
        #expect(byKind[.output] == 0.048)     // (10k − 4k) × $8/M
        #expect(byKind[.reasoning] == 0.036)  // 4k × $9/M
        #expect(abs((Self.total(parts) ?? 0) - 0.194) < 1e-12, "to the cent: $0.19")
    }

    @Test func allFiveKindsWithDefaultsForKindsWithoutAPrice() throws {
        let tokens = TokenCounts(input: 1_000_000, output: 2_000_000, cacheRead: 1_000_000, cacheCreation: 1_000_000, reasoning: 1_000_000)
        // claude-sonnet-4 (not 4.5): only input and output priced. Anthropic: cache counts are
        // outside input_tokens; thinking tokens are inside output_tokens.
        let parts = try #require(Self.table.cost(provider: "anthropic", model: "claude-sonnet-4-20250514", tokens: tokens))
        let byKind = Dictionary(uniqueKeysWithValues: parts.map { ($0.kind, $0.usd) })
        #expect(byKind == [.input: 4, .cacheRead: 4, .cacheCreation: 4, .output: 20, .reasoning: 20])
        #expect(abs((Self.total(parts) ?? 0) - 52) < 1e-9)
    }

    @Test func exactNamesAndAliasesBeforeGlobsAndProviderMustMatch() {
        #expect(Self.table.rates(provider: "openai", model: "gpt-4o-2024-11-20")?.input == 2.5)
        #expect(Self.table.rates(provider: "azure.ai.openai", model: "gpt-4o") == nil, "the entry is for openai only")
        #expect(Self.table.rates(provider: "azure.ai.openai", model: "o3")?.input == 2, "\"*\" matches any provider")
        #expect(Self.table.rates(provider: "anthropic", model: "claude-sonnet-4-5")?.input == 3, "the first glob wins")
        #expect(Self.table.rates(provider: "anthropic", model: "claude-sonnet-4")?.input == 4)
        #expect(Self.table.cost(provider: "openai", model: "gpt-9", tokens: TokenCounts(input: 1)) == nil, "unpriced is nil, never $0")
    }

    @Test func overridesFromTheConfigurationWinOverTheTable() {
        let t = Self.table.overridden(by: ["openai/gpt-4o": ModelRates(input: 1, output: 1), "o3": ModelRates(input: 7, output: 7)])
        #expect(t.rates(provider: "openai", model: "gpt-4o")?.input == 1)
        #expect(t.rates(provider: "groq", model: "o3")?.input == 7)
    }

    @Test func countsThatDoNotAddUpAreClampedNotNegative() {
        // A provider reporting more cached tokens than prompt tokens: input bills 0, not a refund.
        let billed = TokenCounts(input: 100, output: 10, cacheRead: 500, reasoning: 50).billed(.openAI)
        #expect(billed == TokenCounts(input: 0, output: 0, cacheRead: 500, reasoning: 50))
        #expect(TokenCounts(input: -5).billed(.anthropic).input == 0)
    }

    @Test func validationReportsEveryProblem() {
        let bad = PriceSchedule(effectiveDate: "2026-13-01", currency: "EUR", entries: [
            .init(provider: "openai", model: "gpt-4o", rates: ModelRates(input: -1, output: .nan)),
            .init(provider: "openai", model: "gpt-4o-2", aliases: ["gpt-4o"], rates: ModelRates(input: 1, output: 1)),
            .init(provider: "", model: "", rates: ModelRates(input: 1, output: 1)),
        ])
        let issues = bad.validate().map(\.description)
        #expect(issues.contains { $0.hasPrefix("effective_date: ") })
        #expect(issues.contains { $0.hasPrefix("currency: ") })
        #expect(issues.contains("models[0].input: prices must be finite and not negative"))
        #expect(issues.contains("models[0].output: prices must be finite and not negative"))
        #expect(issues.contains("models[1].model: \"gpt-4o\" of openai is already priced by models[0]"))
        #expect(issues.contains { $0.hasPrefix("models[2].provider: ") })
        #expect(issues.contains { $0.hasPrefix("models[2].model: ") })
        #expect(Self.table.validate().isEmpty)
    }
}

/// The token and cost metrics a provider request produces.
struct TokenAndCostMetricsTests {
    static func configuration() -> TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.standardMetrics.priceSchedule = PricingTests.table
        return c
    }

    @Test func allFiveTokenKindsGiveDisjointTokenSeriesAndTheCostToTheCent() async throws {
        try await withTestTelemetry(configuration: Self.configuration()) { t in
            // OpenAI o3: prompt 100,000 (60,000 of them cached), completion 10,000 (4,000 reasoning),
            // and 5,000 cache-creation tokens (OpenAI bills none, but count them if reported).
            _ = try await t.telemetry.track(provider: .openAI, model: "o3") { () async throws -> (value: Int, usage: TokenUsage) in
                (1, TokenUsage(input: 100_000, output: 10_000, cacheRead: 60_000, cacheCreation: 5_000, reasoning: 4_000))
            }
            await t.settle()
            let labels = { (kind: String) in ["provider": "openai", "model": "o3", "token_type": kind] }
            #expect(t.counterValue("agent_llm_tokens_total", labels("input")) == 35_000)
            #expect(t.counterValue("agent_llm_tokens_total", labels("cache_read")) == 60_000)
            #expect(t.counterValue("agent_llm_tokens_total", labels("cache_creation")) == 5_000)
            #expect(t.counterValue("agent_llm_tokens_total", labels("output")) == 6_000)
            #expect(t.counterValue("agent_llm_tokens_total", labels("reasoning")) == 4_000)
            #expect(t.registry.sumOfSeries("agent_llm_tokens_total") == 110_000, "disjoint: they add up to every token once")
            // $2/M × 35k + $0.50/M × 60k + $2/M × 5k (cache write at the input price) + $8/M × 6k + $9/M × 4k
            // = 0.07 + 0.03 + 0.01 + 0.048 + 0.036 = $0.194
            let cost = t.registry.sumOfSeries("agent_llm_cost_usd_total", matching: ["model": "o3"])
            #expect((cost * 100).rounded() / 100 == 0.19)
            #expect(abs(cost - 0.194) < 1e-12)
            #expect(t.counterValue("agent_llm_cost_usd_total", labels("reasoning")) == 0.036)
            // The GenAI histogram: all prompt and all completion tokens.
            let genAI = ["gen_ai_operation_name": "chat", "gen_ai_provider_name": "openai", "gen_ai_request_model": "o3", "gen_ai_response_model": ""]
            #expect(t.histogramValue("gen_ai_client_token_usage", genAI.merging(["gen_ai_token_type": "input"]) { a, _ in a })?.sum == 100_000)
            #expect(t.histogramValue("gen_ai_client_token_usage", genAI.merging(["gen_ai_token_type": "output"]) { a, _ in a })?.sum == 10_000)
            #expect(t.registry.sumOfSeries("agent_llm_unpriced_requests_total") == 0)
        }
    }

    @Test func anUnknownModelIsCountedAsUnpricedAndNeverAsZeroDollars() async throws {
        let log = LogCapture()
        try await withTestTelemetry(configuration: Self.configuration(), logger: log.logger()) { t in
            for _ in 0..<3 {
                t.emit(ProviderRequest(provider: .mistralAI, model: "mistral-large-2", outcome: .success, latency: .seconds(1),
                                       inputTokens: 1_000, outputTokens: 100))
            }
            await t.settle()
            #expect(t.counterValue("agent_llm_unpriced_requests_total", ["provider": "mistral_ai", "model": "mistral-large-2"]) == 3)
            #expect(t.registry.labelSets("agent_llm_cost_usd_total").isEmpty, "no cost series at all, not a $0 one")
            #expect(t.counterValue("agent_llm_tokens_total", ["provider": "mistral_ai", "model": "mistral-large-2", "token_type": "input"]) == 3_000)
        }
        let warnings = log.warnings.filter { $0.line.contains("mistral-large-2") }
        #expect(warnings.count == 1, "warned once, not per request: \(log.text)")
        #expect(warnings.first?.line.contains("agent_llm_unpriced_requests_total") == true)
    }
}

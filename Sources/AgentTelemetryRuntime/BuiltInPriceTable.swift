import AgentTelemetry

// The dated default price table, built in: a configuration without `metrics.price_table` costs
// LLM requests with it, so a copy of configs/agent-telemetry.yaml works wherever it is put.
// `metrics.price_table` names a newer table or one's own; `metrics.prices` overrides single models.
// The text is that of configs/prices/llm-prices-2025-12-01.yaml (a test keeps them equal).

extension PriceTableFile {
    /// The effective date of the built-in table.
    public static let builtInEffectiveDate = "2025-12-01"

    /// The built-in table's file, as shipped in `configs/prices/`.
    public static let builtInFileName = "llm-prices-2025-12-01.yaml"

    /// The built-in dated table: what a configuration without `metrics.price_table` uses. Cost:
    /// parsed once, on first use.
    public static let builtIn: PriceSchedule = {
        // The text is a constant checked by a test, so it always parses; an empty schedule is
        // the safe answer should it ever not (every model then counts as unpriced, never as $0).
        (try? load(yaml: builtInYAML, source: "built-in " + builtInFileName)) ?? PriceSchedule(effectiveDate: builtInEffectiveDate, entries: [])
    }()

    /// The text of the built-in table.
    static let builtInYAML = """
    # LLM list prices, USD per million tokens, standard (non-batch, non-priority) API use, for prompts
    # up to 200k tokens where a provider charges more above that. Chosen with `metrics.price_table`
    # in the configuration; `agent-telemetry check-config` validates it.
    #
    # Prices change: this table is the one in force from `effective_date`. Copy it, update the figures
    # from your providers' pricing pages or your contract, change the date, and point the
    # configuration at your copy. A model the table does not price is never counted as $0: it goes to
    # agent_llm_unpriced_requests_total and is warned about once.
    #
    # Matching: exact names and aliases first, then globs (`*`, `?`) in the order below, so the more
    # specific pattern comes first (gpt-4o-mini* before gpt-4o*). `provider: "*"` matches any provider
    # label (the same model names are served by OpenAI and Azure OpenAI).
    #
    # Kinds without a price of their own: cache reads and writes at the input price, reasoning at the
    # output price (how providers bill them when they publish none). OpenAI caches automatically and
    # charges no extra for cache writes; Anthropic's cache_write is the 5-minute cache price.
    # Gemini context-cache prices are left out here: cached Gemini tokens are costed at the input price.
    effective_date: "2025-12-01"
    currency: USD
    models:
      # OpenAI
      - {provider: "*", model: "gpt-5-mini*", input: 0.25, cache_read: 0.025, output: 2.00}
      - {provider: "*", model: "gpt-5-nano*", input: 0.05, cache_read: 0.005, output: 0.40}
      - {provider: "*", model: "gpt-5*", input: 1.25, cache_read: 0.125, output: 10.00}
      - {provider: "*", model: "gpt-4.1-mini*", input: 0.40, cache_read: 0.10, output: 1.60}
      - {provider: "*", model: "gpt-4.1-nano*", input: 0.10, cache_read: 0.025, output: 0.40}
      - {provider: "*", model: "gpt-4.1*", input: 2.00, cache_read: 0.50, output: 8.00}
      - {provider: "*", model: "gpt-4o-mini*", input: 0.15, cache_read: 0.075, output: 0.60}
      - {provider: "*", model: "gpt-4o*", input: 2.50, cache_read: 1.25, output: 10.00}
      - {provider: "*", model: "o4-mini*", input: 1.10, cache_read: 0.275, output: 4.40}
      - {provider: "*", model: "o3-mini*", input: 1.10, cache_read: 0.55, output: 4.40}
      - {provider: "*", model: "o3*", input: 2.00, cache_read: 0.50, output: 8.00}
      - {provider: "*", model: "o1-mini*", input: 1.10, cache_read: 0.55, output: 4.40}
      - {provider: "*", model: "o1*", input: 15.00, cache_read: 7.50, output: 60.00}
      # Anthropic
      - {provider: "*", model: "claude-opus-4-5*", input: 5.00, cache_read: 0.50, cache_write: 6.25, output: 25.00}
      - {provider: "*", model: "claude-opus-4*", input: 15.00, cache_read: 1.50, cache_write: 18.75, output: 75.00}
      - {provider: "*", model: "claude-sonnet-4*", input: 3.00, cache_read: 0.30, cache_write: 3.75, output: 15.00}
      - {provider: "*", model: "claude-3-7-sonnet*", input: 3.00, cache_read: 0.30, cache_write: 3.75, output: 15.00}
      - {provider: "*", model: "claude-haiku-4-5*", input: 1.00, cache_read: 0.10, cache_write: 1.25, output: 5.00}
      - {provider: "*", model: "claude-3-5-haiku*", input: 0.80, cache_read: 0.08, cache_write: 1.00, output: 4.00}
      - {provider: "*", model: "claude-3-haiku*", input: 0.25, cache_read: 0.03, cache_write: 0.30, output: 1.25}
      # Google Gemini
      - {provider: "*", model: "gemini-2.5-pro*", input: 1.25, output: 10.00}
      - {provider: "*", model: "gemini-2.5-flash-lite*", input: 0.10, output: 0.40}
      - {provider: "*", model: "gemini-2.5-flash*", input: 0.30, output: 2.50}
    """
}

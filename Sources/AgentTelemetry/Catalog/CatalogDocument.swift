/// Renders the catalog as JSON (for tools) and Markdown (for `docs/PRODUCTION_METRICS.md`).
package enum CatalogDocument {
    /// The catalog as a JSON document: `{"namespace": ..., "metrics": [{name, otlp_name, type,
    /// unit, help, labels, buckets, category, origin, events, label_guidance, promql}]}`.
    /// Keys and entries come in a fixed order so the output is stable.
    ///
    /// With `views`, each entry is the metric as the views leave it: exported name, labels and
    /// buckets, plus `registered_name` when renamed, `dropped_labels`, `cardinality_limit` and
    /// `exported: false` when denied; the document gains `common_labels`.
    package static func json(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all,
                             views: MetricViews? = nil) -> String {
        var out = "{\n  \"namespace\": \(quote(namespace)),\n"
        if let views = views {
            let common = views.commonLabels.sorted { $0.key < $1.key }.map { "\(quote($0.key)): \(quote($0.value))" }
            out += "  \"common_labels\": {\(common.joined(separator: ", "))},\n"
        }
        out += "  \"metrics\": [\n"
        let entries = descriptors.map { d -> String in
            let shaped = Shaped(d, namespace: namespace, views: views)
            var fields: [String] = []
            fields.append("\"name\": \(quote(shaped.name))")
            if views != nil {
                if shaped.name != d.name(namespace: namespace) { fields.append("\"registered_name\": \(quote(d.name(namespace: namespace)))") }
                fields.append("\"exported\": \(!shaped.view.denied)")
            }
            fields.append("\"otlp_name\": \(quote(shaped.otlpName))")
            fields.append("\"type\": \(quote(d.type.rawValue))")
            fields.append("\"unit\": \(d.unit.map { quote($0.ucum) } ?? "null")")
            fields.append("\"help\": \(quote(d.help))")
            fields.append("\"labels\": [\(shaped.labels.map(quote).joined(separator: ", "))]")
            fields.append("\"attribute_keys\": [\(shaped.labels.map { quote(d.attributeKey(ofLabel: $0)) }.joined(separator: ", "))]")
            if !shaped.optInAvailable.isEmpty {
                fields.append("\"opt_in_labels\": [\(shaped.optInAvailable.map(quote).joined(separator: ", "))]")
            }
            if views != nil && !shaped.dropped.isEmpty {
                fields.append("\"dropped_labels\": [\(shaped.dropped.map(quote).joined(separator: ", "))]")
            }
            fields.append("\"buckets\": [\(shaped.buckets.map(number).joined(separator: ", "))]")
            if let limit = shaped.view.cardinalityLimit { fields.append("\"cardinality_limit\": \(limit)") }
            fields.append("\"category\": \(quote(d.category.rawValue))")
            fields.append("\"origin\": \(quote(d.origin.rawValue))")
            fields.append("\"events\": [\(MetricCatalog.events(driving: d).map(quote).joined(separator: ", "))]")
            let guidance = d.labelNames.compactMap { l in d.guidance(forLabel: l).map { "\(quote(l)): \(quote($0))" } }
            fields.append("\"label_guidance\": {\(guidance.joined(separator: ", "))}")
            fields.append("\"promql\": \(d.promQL.map { quote(shaped.query($0)) } ?? "null")")
            return "    {" + fields.joined(separator: ", ") + "}"
        }
        out += entries.joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    /// A descriptor as views leave it.
    struct Shaped {
        let view: ResolvedView
        let name: String
        let otlpName: String
        let labels: [String]
        let dropped: [String]
        /// Opt-in labels the views leave out (a view's `opt_in_labels` would export them).
        let optInAvailable: [String]
        let buckets: [Double]
        let registeredName: String
        let namespace: String

        init(_ d: MetricDescriptor, namespace: String, views: MetricViews?) {
            self.namespace = namespace
            registeredName = d.name(namespace: namespace)
            let view = views?.resolve(registeredName) ?? ResolvedView()
            self.view = view
            name = view.rename ?? registeredName
            otlpName = view.rename.map { MetricFamilyInfo.deriveOTLPName($0, type: d.type, unit: d.unit) } ?? d.otlpName(namespace: namespace)
            let optIn = Set(d.optInLabelNames)
            labels = d.labelNames.filter { !view.dropLabels.contains($0) && (!optIn.contains($0) || view.optInLabels.contains($0)) }
            dropped = d.labelNames.filter { view.dropLabels.contains($0) }
            optInAvailable = d.optInLabelNames.filter { !view.optInLabels.contains($0) && !view.dropLabels.contains($0) }
            buckets = d.type == .histogram ? (view.buckets ?? d.buckets) : d.buckets
        }

        /// `promQL` under the namespace, with the exported name for a renamed metric.
        func query(_ promQL: String) -> String {
            let q = promQL.replacingNamespace(namespace)
            return name == registeredName ? q : q.replacingAll(registeredName, with: name)
        }
    }

    /// The catalog as Markdown: a section per category with a table of metrics, the PromQL to use
    /// for ratios and quantiles, and cardinality guidance per label.
    package static func markdown(namespace: String = "agent", descriptors: [MetricDescriptor] = MetricCatalog.all,
                                 views: MetricViews? = nil) -> String {
        var out = """
        # Production metrics

        Generated from the metric catalog (`MetricCatalog` in `Sources/AgentTelemetry`, plus each exporter's
        `selfMetrics`, collected by `TelemetryCatalog`); do not edit by hand.
        Regenerate with `swift run agent-telemetry catalog --format markdown > docs/PRODUCTION_METRICS.md`
        (a test fails when this file and the catalog disagree). Names use the default namespace `\(namespace)`.

        Ratios (success rates, hit ratios, pass rates) are not stored as gauges: they are derived from
        counters with an `outcome` or `result` label, in Prometheus by the recording rules in
        `configs/prometheus/recording_rules.yml`. Every label marked free-form is bounded by the
        cardinality limit (2000 series per metric by default): past it, new combinations are
        recorded in one series labelled `otel_metric_overflow="true"`.

        Each label has two spellings with one source of truth: its OpenTelemetry attribute key, which
        OTLP sends (`gen_ai.request.model`, `error.type`), and the Prometheus label name derived from it
        by Prometheus' own translation (`.` and other characters outside `[a-zA-Z0-9_]` become `_`),
        which /metrics, StatsD and the rules use. Where they differ, the tables give the key in
        parentheses. OTLP names, units, attribute keys and enum values follow OpenTelemetry semantic
        conventions \(SemanticConventions.version) (`schema_url` `\(SemanticConventions.schemaURL)` on
        every export), as the official package `opentelemetry-semantic-conventions` 0.66b2 implements
        them; a label whose value is empty (`error.type` on a success) is not sent as an OTLP
        attribute. Values outside the conventions' enums are this project's extensions: operation
        names `execute_tool` and `invoke_agent` are the conventions' own, provider names follow
        `gen_ai.provider.name` (a `custom` provider keeps its own spelling), and `gen_ai.token.type`
        is `input` or `output` only (the counters' `token_type`, with `cache_read`, `cache_creation`
        and `reasoning`, is a project label, not the conventions' attribute).

        Opt-in labels (`gen_ai.agent.name`, `gen_ai.tool.name` as the tool-calling step,
        `server.address`, `server.port`) are recorded with every update but exported only where a
        view lists them in `opt_in_labels`: each multiplies the metric's series, and the cardinality
        limit bounds them. The agent and tool come from the task context (`track(agent:)`,
        `track(tool:)`, see `WorkContext`).

        """
        if views == nil { out += tokensGuide + exemplarsGuide + viewsGuide }
        if let views {
            out += "\nAs the configuration's views leave the catalog"
            if !views.commonLabels.isEmpty {
                out += "; every series also carries " + views.commonLabels.sorted { $0.key < $1.key }
                    .map { "`\($0.key)=\"\($0.value)\"`" }.joined(separator: ", ")
            }
            out += ".\n"
            let denied = descriptors.map { Shaped($0, namespace: namespace, views: views) }.filter(\.view.denied)
            if !denied.isEmpty {
                out += "\nDenied by a view (not exported): " + denied.map { "`\($0.registeredName)`" }.joined(separator: ", ") + "\n"
            }
        }
        for category in MetricCategory.allCases {
            let entries = descriptors.map { ($0, Shaped($0, namespace: namespace, views: views)) }
                .filter { $0.0.category == category && !$0.1.view.denied }
            guard !entries.isEmpty else { continue }
            out += "\n## \(category.title)\n\n"
            out += "| Metric | Type | Unit | Labels | Driven by | Description |\n"
            out += "|---|---|---|---|---|---|\n"
            for (d, shaped) in entries {
                let events = MetricCatalog.events(driving: d)
                let source = events.isEmpty ? (d.origin == .processSampler ? "process sampler" : "pipeline") : events.map { "`\($0)`" }.joined(separator: ", ")
                let spell = { (l: String) -> String in
                    let key = d.attributeKey(ofLabel: l)
                    return key == l ? "`\(l)`" : "`\(l)` (`\(key)`)"
                }
                var labels = shaped.labels.isEmpty ? "–" : shaped.labels.map(spell).joined(separator: ", ")
                if !shaped.dropped.isEmpty { labels += " (dropped: " + shaped.dropped.map { "`\($0)`" }.joined(separator: ", ") + ")" }
                if !shaped.optInAvailable.isEmpty { labels += "; opt-in: " + shaped.optInAvailable.map(spell).joined(separator: ", ") }
                let renamed = shaped.name == shaped.registeredName ? "" : " (registered as `\(shaped.registeredName)`)"
                out += "| `\(shaped.name)`\(renamed) | \(d.type.rawValue) | \(d.unit.map { "`\($0.ucum)`" } ?? "–") | \(labels) | \(source) | \(d.help.replacingOccurrencesOfPipe) |\n"
            }
            let buckets = entries.filter { $0.0.type == .histogram }
            if !buckets.isEmpty {
                out += "\nHistogram buckets:\n\n"
                for (_, shaped) in buckets {
                    out += "- `\(shaped.name)`: \(shaped.buckets.map(number).joined(separator: ", "))\n"
                }
            }
            let queries = entries.compactMap { d, shaped in d.promQL.map { (shaped, shaped.query($0)) } }
            if !queries.isEmpty {
                out += "\nPromQL:\n\n"
                for (shaped, q) in queries { out += "- `\(shaped.name)`: `\(q)`\n" }
            }
            let guided = entries.filter { !$0.0.labelGuidance.isEmpty }
            if !guided.isEmpty {
                out += "\nCardinality guidance:\n\n"
                for (d, shaped) in guided {
                    let notes = (shaped.labels + shaped.optInAvailable).compactMap { l in d.guidance(forLabel: l).map { "`\(l)`: \($0)" } }
                    guard !notes.isEmpty else { continue }
                    out += "- `\(shaped.name)` — \(notes.joined(separator: "; "))\n"
                }
            }
        }
        return out
    }

    /// How tokens and cost are counted (in the generated document).
    static let tokensGuide = """

        ## Tokens and cost as providers bill them

        `ProviderRequest` (and `TokenUsage` in `track(provider:)`) takes each usage field as the
        provider reports it: prompt, completion, cache read (OpenAI `cached_tokens`, Anthropic
        `cache_read_input_tokens`), cache creation (Anthropic `cache_creation_input_tokens`) and
        reasoning (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). Providers nest these
        differently — OpenAI's prompt count includes its cached tokens and its completion count its
        reasoning tokens; Anthropic's input count excludes cache reads and writes; Gemini's completion
        count excludes thoughts — so the library undoes the nesting (`TokenReporting`) and counts
        `token_type` values that are **disjoint**:

        | `token_type` | counts | GenAI conventions |
        |---|---|---|
        | `input` | prompt tokens neither read from nor written to the cache | `gen_ai.token.type="input"` covers all prompt tokens |
        | `cache_read` | prompt tokens read from the provider's cache | not defined there (this library's value) |
        | `cache_creation` | prompt tokens written to the cache | not defined there (this library's value) |
        | `output` | completion tokens that are not reasoning | `gen_ai.token.type="output"` covers all completion tokens |
        | `reasoning` | reasoning ("thinking") tokens | not defined there (this library's value) |

        So `sum(agent_llm_tokens_total)` is every token once, and the share of prompt tokens served
        from the cache is `cache_read / (input + cache_read + cache_creation)` for every provider
        (recording rule `agent:llm_cache_read:ratio_rate1h`). `gen_ai_client_token_usage` keeps the
        conventions' two values: `input` is all prompt tokens of the call, `output` all completion tokens.

        Cost (`agent_llm_cost_usd_total{provider,model,token_type}`) is each kind's tokens times its
        price from a versioned price table (`metrics.price_table`; a dated default ships in
        `configs/prices/`, with aliases and globs such as `claude-sonnet-4*`), with `metrics.prices`
        in front. A kind without a price of its own is billed as providers do when they publish none:
        cache reads and writes at the input price, reasoning at the output price. A model the table
        does not price is never counted as $0: its requests go to `agent_llm_unpriced_requests_total`,
        the agent logs a warning once per model, and the `AgentLLMUnpricedRequests` alert fires.

        Per session (requests carrying a `sessionID` between `SessionStarted` and `SessionEnded` or the
        idle timeout): `agent_session_llm_tokens`, `agent_session_llm_cost_usd` (priced requests only),
        `agent_session_llm_calls` and `agent_session_tool_calls` are observed once when the session ends
        or expires; `agent:session_llm_cost_usd:p95_1h` answers "what does a session cost". At most
        `metrics.session_limit` sessions (default 100,000) are tracked; past it the least recently
        active are dropped and counted in `agent_sessions_evicted_total`.

        """

    /// How exemplars link the catalog's histograms and counters to traces (in the generated document).
    static let exemplarsGuide = """

        ## Exemplars: from a latency bucket to the trace

        Every histogram bucket and every counter of this catalog keeps its latest **exemplar**: the
        observed value, when it was observed, and the `trace_id` and `span_id` of the trace that was
        current when the event was **emitted** (not when a subscriber handled it later). The trace
        comes from, in order:

        1. `telemetry.emit(event, trace: span)` or the event's own `trace` property;
        2. the configured `ExemplarSource` (`TelemetryConfiguration.exemplarSource`, `metrics.exemplars`
           in the file, on by default): `ContextExemplarSource` reads swift-distributed-tracing's
           `ServiceContext` — a `TraceReference` the application bound (`trace.withCurrent { … }`), else
           the span of the bootstrapped tracer, read through the tracer's own W3C `traceparent`
           propagation, so swift-otel's tracer works without this library depending on swift-otel
           (`Examples/Integrations/OTelExemplars`).

        Where they appear:

        | exporter | exemplars |
        |---|---|
        | Prometheus, OpenMetrics (`Accept: application/openmetrics-text`, what Prometheus asks for) | ` # {trace_id="…",span_id="…"} value timestamp` after each `_bucket` and counter `_total` sample that has one |
        | Prometheus, text 0.0.4 | none: the format has no exemplars |
        | OTLP | `exemplars` on Sum and Histogram data points (`trace_id` 16 bytes, `span_id` 8 bytes, `as_double`, `time_unix_nano`), each sent until a collector accepted it |
        | StatsD | none |
        | swift-metrics bridge | counters, timers and aggregating recorders take the recording task's trace |

        Prometheus stores them only with `--enable-feature=exemplar-storage` (the shipped compose file
        sets it) and answers `/api/v1/query_exemplars`; the Performance dashboard's "Tool latency p95
        with exemplars" panel shows them as dots linking to the trace. A series that never sees a
        trace costs one pointer and no work for exemplars; see docs/PERFORMANCE.md for the cost of a
        traced observation.

        """

    /// How views reshape this catalog, one example each (in the generated document).
    static let viewsGuide = """

        ## Views: shaping the catalog without code changes

        Views in the configuration file (`metrics.views`, list order is precedence) change what is
        exported for every exporter at once — Prometheus, OTLP and StatsD read the same registry.
        They are applied once, when a metric is registered; updating a held series costs the same
        with or without them. `agent-telemetry check-config` rejects a view naming a metric that is
        not in this catalog (with a "did you mean"), a rename onto an existing name, labels a metric
        does not have and invalid buckets; `agent-telemetry catalog --config FILE` prints this
        catalog as the views leave it.

        - **Drop a label** (series that differ only in it merge: counters and histograms add up, a
          gauge keeps the last value written to any of them):
          `- {match: agent_provider_requests_total, drop_labels: [model]}`
        - **Deny** metrics by name or glob (`*` any run, `?` one character):
          `- {match: "agent_devops_*", deny: true}`
        - **Allow** a subset: the first view that decides wins, so
          `- {match: "agent_llm_*", allow: true}` then `- {match: "agent_*", deny: true}` keeps the LLM metrics only.
        - **Rename** (exact names only; OTLP gets the new name without `_total` and unit suffix):
          `- {match: agent_tool_executions_total, rename: agent_tool_calls_total}`
        - **Buckets** per histogram (`metrics.buckets: {name: [...]}` is shorthand for this):
          `- {match: agent_tool_execution_duration_seconds, buckets: [0.05, 0.1, 0.5, 1, 5]}`
        - **Cardinality limit** per metric:
          `- {match: agent_provider_requests_total, cardinality_limit: 500}`
        - **Native histograms** (exponential buckets: Prometheus native histograms over the
          protobuf scrape, OTLP `ExponentialHistogram`), alone or beside the classic buckets while
          dashboards migrate; `max_buckets` (4…32768, default 160) and `schema` (-4…8, default 8)
          are optional, `metrics.histograms: {aggregation: …}` sets the default for all:
          `- {match: agent_tool_execution_duration_seconds, aggregation: classic_and_native, max_buckets: 160}`
        - **Common labels** on every series — Prometheus labels (a metric's own label of the same
          name wins), OTLP resource attributes (a configured resource attribute wins), StatsD
          constant tags (a configured tag wins): `metrics.common_labels: {environment: staging, version: "1.4.2"}`

        For each setting the first matching view that sets it wins; dropped labels add up over all
        matching views. In code: `TelemetryConfiguration.views = MetricViews(commonLabels:views:)`, or
        `MetricRegistry(views:)` for a registry of your own.

        """

    /// `s` as a double-quoted JSON string (every control character escaped). The result is also
    /// a valid YAML double-quoted scalar.
    package static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}

extension String {
    func replacingNamespace(_ ns: String) -> String {
        replacingAll("{ns}_", with: ns.isEmpty ? "" : ns + "_")
    }

    /// Every occurrence of `needle` replaced by `replacement`.
    func replacingAll(_ needle: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: needle) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }

    var replacingOccurrencesOfPipe: String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        let n = Array(needle.utf8)
        var i = startIndex
        while i < endIndex {
            if self[i...].utf8.starts(with: n) {
                return i..<(self.utf8.index(i, offsetBy: n.count))
            }
            i = index(after: i)
        }
        return nil
    }
}

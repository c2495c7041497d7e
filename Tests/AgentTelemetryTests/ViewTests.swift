import AgentTelemetry
import AgentTelemetryTesting
import Testing

/// Views shape families at registration: merge on dropped labels, deny, rename, buckets,
/// cardinality limits, precedence — and the configuration that declares them.
struct ViewTests {
    static let requests = "agent_provider_requests_total"

    func configuration(_ views: [MetricView], common: [String: String] = [:]) -> TelemetryConfiguration {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.views = MetricViews(commonLabels: common, views: views)
        return c
    }

    @Test func droppedLabelMergesCountsExactly() async throws {
        let models = ["gpt-4o": 3, "gpt-4o-mini": 5, "o3": 2]
        // The same workload without and with the view: the merged series equals the sum over models.
        try await withTestTelemetry { plain in
            try await withTestTelemetry(configuration: configuration([MetricView(match: Self.requests, dropLabels: ["model"])])) { viewed in
                for (model, n) in models {
                    for _ in 0..<n {
                        let e = ProviderRequest(provider: .openAI, model: model, outcome: .success, latency: .milliseconds(5))
                        plain.emit(e)
                        viewed.emit(e)
                    }
                }
                await plain.settle()
                await viewed.settle()
                let perModel = plain.registry.labelSets(Self.requests)
                #expect(perModel.count == 3)
                #expect(plain.registry.sumOfSeries(Self.requests) == 10)
                #expect(viewed.registry.labelSets(Self.requests) == [["provider": "openai", "outcome": "success"]])
                #expect(viewed.counterValue(Self.requests, ["provider": "openai", "outcome": "success"]) == 10)
                // Other metrics keep the label.
                #expect(viewed.registry.labelSets("agent_provider_request_duration_seconds").count == 3)
            }
        }
    }

    @Test func droppedLabelMergesHistogramsAndGaugeKeepsLastWrite() throws {
        let registry = MetricRegistry(views: MetricViews(views: [
            MetricView(match: "latency_seconds", dropLabels: ["model"]),
            MetricView(match: "queue_depth", dropLabels: ["worker"]),
        ]))
        let latency = try registry.histogram("latency_seconds", help: "h", unit: .seconds, labelNames: ["provider", "model"], buckets: [0.1, 1])
        latency.labels("openai", "a").observe(0.05)
        latency.labels("openai", "b").observe(0.5)
        latency.labels("openai", "b").observe(5)
        let h = try #require(registry.histogramValue("latency_seconds", ["provider": "openai"]))
        #expect(h.count == 3)
        #expect(h.sum == 5.55)
        #expect(h.bucketCounts == [1, 1, 1])
        let depth = try registry.gauge("queue_depth", help: "h", labelNames: ["worker"])
        depth.labels("w1").set(4)
        depth.labels("w2").set(9)
        #expect(registry.gaugeValue("queue_depth") == 9)
        #expect(depth.info.labelNames.isEmpty)
    }

    @Test func deniedMetricRecordsNothingAndIsNotExported() throws {
        let registry = MetricRegistry(views: MetricViews(views: [MetricView(match: "agent_devops_*", deny: true)]))
        let denied = try registry.counter("agent_devops_deployments_total", help: "h", labelNames: ["env"])
        let kept = try registry.counter("agent_tool_executions_total", help: "h", labelNames: ["tool"])
        for i in 0..<10_000 { denied.labels("env-\(i)").increment() }
        kept.labels("search").increment()
        #expect(denied.isDenied)
        #expect(denied.seriesCount == 0, "a denied family must not grow")
        #expect(!registry.familyNames.contains("agent_devops_deployments_total"))
        #expect(registry.snapshot().family(named: "agent_devops_deployments_total") == nil)
        #expect(registry.counterValue("agent_tool_executions_total", ["tool": "search"]) == 1)
        // Registering again returns the same (denied) family, not an error.
        #expect(try registry.counter("agent_devops_deployments_total", help: "h", labelNames: ["env"]) === denied)
    }

    @Test func firstViewThatDecidesWinsSoAllowBeforeDenyKeepsASubset() throws {
        let registry = MetricRegistry(views: MetricViews(views: [
            MetricView(match: "agent_llm_*", deny: false),
            MetricView(match: "*", deny: true),
        ]))
        let llm = try registry.counter("agent_llm_tokens_total", help: "h")
        let tool = try registry.counter("agent_tool_executions_total", help: "h")
        llm.series.increment()
        tool.series.increment()
        #expect(registry.familyNames == ["agent_llm_tokens_total"])
    }

    @Test func renameExportsUnderTheNewNameEverywhereAndRefusesCollisions() throws {
        let registry = MetricRegistry(views: MetricViews(views: [MetricView(match: "agent_tool_executions_total", rename: "agent_tool_calls_total")]))
        let calls = try registry.counter("agent_tool_executions_total", help: "h", labelNames: ["tool"], otlpName: "agent.tool.executions")
        calls.labels("search").increment(by: 2)
        #expect(calls.info.name == "agent_tool_calls_total")
        #expect(calls.info.otlpName == "agent_tool_calls", "the OTLP name follows the rename")
        #expect(calls.registered.name == "agent_tool_executions_total")
        #expect(registry.familyNames == ["agent_tool_calls_total"])
        #expect(registry.counterValue("agent_tool_calls_total", ["tool": "search"]) == 2)
        // The code still registers under the old name and gets the same family.
        #expect(try registry.counter("agent_tool_executions_total", help: "h", labelNames: ["tool"]) === calls)
        // Another metric that already has the new name cannot be registered.
        #expect(throws: MetricRegistrationError.self) { _ = try registry.counter("agent_tool_calls_total", help: "h") }
    }

    @Test func bucketsAndCardinalityLimitPerMetric() throws {
        let registry = MetricRegistry(cardinalityLimit: 1000, views: MetricViews(views: [
            MetricView(match: "step_seconds", buckets: [0.5, 5]),
            MetricView(match: "calls_total", cardinalityLimit: 2),
        ]))
        let steps = try registry.histogram("step_seconds", help: "h", unit: .seconds, buckets: [1, 2, 3])
        steps.series.observe(1)
        #expect(steps.info.buckets == [0.5, 5])
        #expect(registry.histogramValue("step_seconds")?.bucketCounts == [0, 1, 0])
        let calls = try registry.counter("calls_total", help: "h", labelNames: ["tool"])
        for t in ["a", "b", "c", "d"] { calls.labels(t).increment() }
        #expect(calls.cardinalityLimit == 2)
        #expect(registry.counterValue("calls_total", ["otel_metric_overflow": "true"]) == 2)
    }

    @Test func viewsApplyOnRegistrationNotPerUpdate() throws {
        // A held series is the same object with or without views: nothing runs on its update path.
        let registry = MetricRegistry(views: MetricViews(views: [MetricView(match: "x_total", dropLabels: ["b"])]))
        let x = try registry.counter("x_total", help: "h", labelNames: ["a", "b"])
        let held = x.labels("1", "p")
        #expect(x.labels("1", "q") === held)
        #expect(x.labels("2", "p") !== held)
        held.increment()
        #expect(registry.counterValue("x_total", ["a": "1"]) == 1)
        // A wrong number of label values is still refused, counted against the registered labels.
        x.labels("only-one").increment()
        #expect(registry.counterValue("agent_telemetry_metric_rejected_updates_total", ["metric": "x_total", "reason": "label_count"]) == 1)
    }

    @Test func globMatching() {
        #expect(MetricView(match: "agent_*_total").matches("agent_tool_executions_total"))
        #expect(!MetricView(match: "agent_*_total").matches("agent_tool_duration_seconds"))
        #expect(MetricView(match: "agent_?ool*").matches("agent_tool_x"))
        #expect(MetricView(match: "*").matches(""))
        #expect(!MetricView(match: "agent").matches("agent_x"))
    }

    @Test func validationNamesEachProblemWithItsPath() {
        let views = MetricViews(commonLabels: ["env": "x", "bad-name": "y"], views: [
            MetricView(match: "agent_provider_request_total", dropLabels: ["model"]),
            MetricView(match: "agent_provider_requests_total", dropLabels: ["region"]),
            MetricView(match: "agent_tool_executions_total", rename: "agent_tool_execution_duration_seconds"),
            MetricView(match: "agent_*", rename: "agent_all_total"),
            MetricView(match: "agent_tool_executions_total", buckets: [1, 2]),
            MetricView(match: "agent_tool_execution_duration_seconds", buckets: [2, 1], cardinalityLimit: 0),
        ])
        let issues = views.validate(known: MetricCatalog.all, namespace: "agent").map(\.description)
        #expect(issues.contains { $0.hasPrefix("common_labels.bad-name: ") })
        #expect(issues.contains("views[0].match: \"agent_provider_request_total\" is not a metric of the catalog; did you mean \"agent_provider_requests_total\"?"))
        #expect(issues.contains { $0.hasPrefix("views[1].drop_labels: \"agent_provider_requests_total\" has no label \"region\"") })
        #expect(issues.contains("views[2].rename: \"agent_tool_execution_duration_seconds\" is the name of another metric"))
        #expect(issues.contains { $0.hasPrefix("views[3].rename: a glob") })
        #expect(issues.contains("views[4].buckets: \"agent_tool_executions_total\" is a counter, not a histogram"))
        #expect(issues.contains { $0.hasPrefix("views[5].buckets: ") })
        #expect(issues.contains { $0.hasPrefix("views[5].cardinality_limit: 0 is out of range") })
        #expect(issues.count == 8)
        #expect(MetricViews(views: [MetricView(match: "agent_provider_requests_total", dropLabels: ["model"])])
            .validate(known: MetricCatalog.all, namespace: "agent").isEmpty)
    }

    @Test("views name a label by its attribute key or its Prometheus name; an unknown opt-in label lists the available ones")
    func attributeKeySpellings() async throws {
        let ok = MetricViews(views: [
            MetricView(match: "gen_ai_client_operation_duration_seconds", dropLabels: ["gen_ai.request.model"]),
            MetricView(match: "gen_ai_client_token_usage", dropLabels: ["gen_ai_request_model"], optInLabels: ["server.address"]),
        ])
        #expect(ok.validate(known: MetricCatalog.all, namespace: "agent").isEmpty)
        let bad = MetricViews(views: [
            MetricView(match: "agent_llm_cost_usd_total", optInLabels: ["gen_ai.agent.nmae"]),
            MetricView(match: "agent_requests_total", optInLabels: ["gen_ai.agent.name"]),
        ])
        let issues = bad.validate(known: MetricCatalog.all, namespace: "agent").map(\.description)
        #expect(issues.contains("views[0].opt_in_labels: \"agent_llm_cost_usd_total\" has no opt-in label \"gen_ai.agent.nmae\" (its opt-in labels: gen_ai.agent.name, gen_ai.tool.name)"), "\(issues)")
        #expect(issues.contains { $0.hasPrefix("views[1].opt_in_labels: \"agent_requests_total\" has no opt-in label \"gen_ai.agent.name\" (it has none)") }, "\(issues)")
        #expect(issues.count == 2)

        // Dropping by the dotted key merges the series exactly as dropping by the Prometheus name.
        var c = TelemetryConfiguration(sampleProcess: false)
        c.views = ok
        try await withTestTelemetry(configuration: c) { t in
            for model in ["gpt-4o", "gpt-4o-mini"] {
                t.emit(ProviderRequest(provider: .openAI, model: model, outcome: .success, latency: .milliseconds(100),
                                       inputTokens: 10, outputTokens: 5, serverAddress: "api.openai.com"))
            }
            await t.settle()
            let family = try #require(t.registry.snapshot().family(named: "gen_ai_client_operation_duration_seconds"))
            #expect(!family.info.labelNames.contains("gen_ai_request_model"))
            #expect(!family.info.attributeKeys.contains("gen_ai.request.model"))
            #expect(family.series.count == 1)
            if case let .histogram(h)? = family.series.first?.value { #expect(h.count == 2) } else { Issue.record("not a histogram") }
            let usage = try #require(t.registry.snapshot().family(named: "gen_ai_client_token_usage"))
            #expect(usage.info.attributeKeys.contains("server.address"))
            #expect(usage.info.labelNames.contains("server_address"))
        }
    }

    @Test func bucketShorthandIsABucketsViewUnderTheNamespace() async throws {
        var c = TelemetryConfiguration(sampleProcess: false)
        c.standardMetrics.bucketOverrides = ["tool_execution_duration_seconds": [0.1, 1]]
        c.views = MetricViews(views: [MetricView(match: "agent_provider_request_duration_seconds", buckets: [2, 4])])
        #expect(c.effectiveViews.views.last == MetricView(match: "agent_tool_execution_duration_seconds", buckets: [0.1, 1]))
        try await withTestTelemetry(configuration: c) { t in
            t.emit(ToolExecuted(tool: "t", outcome: .success, duration: .milliseconds(500)))
            await t.settle()
            #expect(t.histogramValue("agent_tool_execution_duration_seconds", ["tool": "t", "vertical": "general"])?.bounds == [0.1, 1])
            #expect(t.registry.registeredFamily(named: "agent_provider_request_duration_seconds")?.exported.buckets == [2, 4])
        }
    }
}

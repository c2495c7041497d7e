import AgentTelemetry

/// The measurements of the standard report, section by section, in display order.
/// Metric names are catalog names under the default `agent` namespace.
package enum ReportMeasurements {
    typealias M = ReportMeasurement

    static func quantiles(_ id: String, _ title: String, _ histogram: String) -> [M] {
        [(0.5, "p50"), (0.95, "p95"), (0.99, "p99")].map { q, suffix in
            M("\(id)_\(suffix)", "\(title) \(suffix)", .performance, .milliseconds) { .quantile(q, histogram: $0(histogram), by: []) }
        }
    }

    static func total(_ id: String, _ title: String, _ category: MetricCategory, _ counter: String, by: [String] = [],
                      unit: ReportUnit = .count) -> M {
        M(id, title, category, unit) { .total(counter: $0(counter), by: by, matching: [:]) }
    }

    static func ratio(_ id: String, _ title: String, _ category: MetricCategory, _ counter: String, by: [String] = [],
                      _ numerator: [String: String]) -> M {
        M(id, title, category, .percent) { .ratio(counter: $0(counter), by: by, numerator: numerator) }
    }

    static func gauge(_ id: String, _ title: String, _ category: MetricCategory, _ name: String, by: [String] = [],
                      unit: ReportUnit = .count) -> M {
        M(id, title, category, unit) { .gauge($0(name), by: by) }
    }

    static let success = ["outcome": "success"]

    /// Every measurement, in section order.
    package static let all: [ReportMeasurement] = performance + functional + llmUsage + business + agentic + verticals + security

    static let performance: [M] =
        quantiles("request_latency", "Request latency", "agent_request_duration_seconds")
        + quantiles("chat_latency", "Chat turn latency", "agent_chat_turn_duration_seconds")
        + quantiles("tool_latency", "Tool latency", "agent_tool_execution_duration_seconds")
        + quantiles("provider_latency", "Provider latency", "agent_provider_request_duration_seconds")
        + [
            gauge("resident_memory", "Resident memory", .performance, "process_resident_memory_bytes", unit: .mebibytes),
            gauge("memory_usage", "Memory usage", .performance, "agent_process_memory_usage_ratio", unit: .percent),
            gauge("component_memory", "Component memory", .performance, "agent_component_memory_bytes", by: ["component"], unit: .mebibytes),
            gauge("cpu_usage", "CPU usage", .performance, "agent_process_cpu_usage_ratio", unit: .percent),
            total("cpu_time", "CPU time", .performance, "process_cpu_seconds_total", unit: .seconds),
        ]

    static let functional: [M] = [
        total("tool_executions", "Tool executions", .functional, "agent_tool_executions_total", by: ["tool"]),
        ratio("tool_success_ratio", "Tool success ratio", .functional, "agent_tool_executions_total", by: ["tool"], success),
        total("provider_requests", "Provider requests", .functional, "agent_provider_requests_total", by: ["provider", "model"]),
        ratio("provider_success_ratio", "Provider success ratio", .functional, "agent_provider_requests_total",
              by: ["provider", "model"], success),
        M("provider_model_latency_p95", "Provider latency p95", .functional, .milliseconds) {
            .quantile(0.95, histogram: $0("agent_provider_request_duration_seconds"), by: ["provider", "model"])
        },
        ratio("cache_hit_ratio", "Cache hit ratio", .functional, "agent_cache_requests_total", by: ["cache"], ["result": "hit"]),
    ]

    static let llmUsage: [M] = [
        total("tokens_total", "Tokens", .llmUsage, "agent_llm_tokens_total", unit: .tokens),
        total("tokens", "Tokens by type", .llmUsage, "agent_llm_tokens_total", by: ["token_type"], unit: .tokens),
        // gen_ai_agent_name is opt-in (a view's opt_in_labels): without it, one row with no agent.
        total("tokens_by_agent", "Tokens by agent", .llmUsage, "agent_llm_tokens_total", by: ["gen_ai_agent_name"], unit: .tokens),
        total("cost_total", "Cost", .llmUsage, "agent_llm_cost_usd_total", unit: .usd),
        total("cost", "Cost by model", .llmUsage, "agent_llm_cost_usd_total", by: ["provider", "model"], unit: .usd),
        total("cost_by_token_type", "Cost by token type", .llmUsage, "agent_llm_cost_usd_total", by: ["token_type"], unit: .usd),
        total("cost_by_agent", "Cost by agent", .llmUsage, "agent_llm_cost_usd_total", by: ["gen_ai_agent_name"], unit: .usd),
        total("unpriced_requests", "Requests without a price", .llmUsage, "agent_llm_unpriced_requests_total",
              by: ["provider", "model"]),
        M("session_cost_p50", "Cost per session p50", .llmUsage, .usd) {
            .quantile(0.5, histogram: $0("agent_session_llm_cost_usd"), by: [])
        },
        M("session_cost_p95", "Cost per session p95", .llmUsage, .usd) {
            .quantile(0.95, histogram: $0("agent_session_llm_cost_usd"), by: [])
        },
    ]

    static let business: [M] = [
        total("requests_total", "Requests", .business, "agent_requests_total"),
        total("requests", "Requests by status", .business, "agent_requests_total", by: ["status"]),
        gauge("active_users", "Active users", .business, "agent_active_users"),
        M("active_users_peak", "Active users (peak)", .business, .count) { .peak($0("agent_active_users")) },
        gauge("active_sessions", "Active sessions", .business, "agent_active_sessions"),
        total("sessions_started", "Sessions started", .business, "agent_sessions_started_total"),
        total("sessions_ended", "Sessions ended", .business, "agent_sessions_ended_total"),
    ]

    static let agentic: [M] = [
        total("planning_steps", "Planning steps", .agentic, "agent_planning_steps_total"),
        ratio("planning_success_ratio", "Planning success ratio", .agentic, "agent_planning_steps_total", success),
        total("memory_operations", "Memory operations", .agentic, "agent_memory_operations_total", by: ["operation"]),
        gauge("memory_recall_accuracy", "Memory recall accuracy", .agentic, "agent_memory_recall_accuracy_last_ratio", unit: .percent),
        total("skills_discovered", "Skills discovered", .agentic, "agent_skills_discovered_total"),
        total("self_improvement_loops", "Self-improvement loops", .agentic, "agent_self_improvement_loops_total"),
    ]

    static let verticals: [M] = [
        total("vertical_usage", "Work units", .verticals, "agent_vertical_usage_total", by: ["vertical"]),
        ratio("vertical_success_ratio", "Success ratio", .verticals, "agent_vertical_usage_total", by: ["vertical"], success),
        total("coding_files_analyzed", "Coding: files analyzed", .verticals, "agent_coding_files_analyzed_total"),
        total("coding_issues_found", "Coding: issues found", .verticals, "agent_coding_issues_found_total", by: ["severity"]),
        total("rag_retrievals", "RAG: retrievals", .verticals, "agent_rag_retrievals_total"),
        M("rag_retrieval_latency_p95", "RAG: retrieval latency p95", .verticals, .milliseconds) {
            .quantile(0.95, histogram: $0("agent_rag_retrieval_duration_seconds"), by: [])
        },
        total("devops_deployments", "DevOps: deployments", .verticals, "agent_devops_deployments_total"),
        ratio("devops_deployment_success_ratio", "DevOps: deployment success ratio", .verticals, "agent_devops_deployments_total", success),
        total("data_queries", "Data: queries", .verticals, "agent_data_queries_total"),
        total("research_searches", "Research: searches", .verticals, "agent_research_searches_total"),
    ]

    static let security: [M] = [
        total("authorization_checks", "Authorization checks", .security, "agent_authorization_checks_total"),
        ratio("authorization_denied_ratio", "Authorization denied ratio", .security, "agent_authorization_checks_total", ["result": "denied"]),
        total("security_tests", "Security tests", .security, "agent_security_tests_total"),
        total("vulnerabilities", "Vulnerabilities found", .security, "agent_vulnerabilities_found_total", by: ["severity"]),
        total("security_scans", "Security scans", .security, "agent_security_scans_total"),
    ]

    /// The report's sections, in order.
    package static let categories: [MetricCategory] = [.performance, .functional, .llmUsage, .business, .agentic, .verticals, .security]
}

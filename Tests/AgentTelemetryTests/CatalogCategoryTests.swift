import Synchronization
import Foundation
import AgentTelemetryTesting
import Testing
@testable import AgentTelemetry

/// For every category, emitting its events produces the documented series and values.
@Suite("Catalog categories")
struct CatalogCategoryTests {
    func run(_ emit: (Telemetry) -> Void) async throws -> MetricsSnapshot {
        let t = try Telemetry().started()
        emit(t)
        await t.flush()
        let s = t.registry.snapshot()
        await t.shutdown()
        return s
    }

    @Test("performance: initialisation durations and component memory")
    func performance() async throws {
        let s = try await run { t in
            t.emit(InitializationCompleted(component: "vector_index", duration: .milliseconds(750)))
            t.emit(ComponentMemoryReported(component: "vector_index", bytes: 52_428_800))
        }
        #expect(s.histogramValue("agent_initialization_duration_seconds", ["component": "vector_index", "outcome": "success"])?.sum == 0.75)
        #expect(s.value("agent_component_memory_bytes", ["component": "vector_index"]) == 52_428_800)
    }

    @Test("functional: feature usage")
    func functional() async throws {
        let s = try await run { t in
            t.emit(FeatureUsed(feature: "web_search"))
            t.emit(FeatureUsed(feature: "web_search"))
        }
        #expect(s.value("agent_feature_usage_total", ["feature": "web_search"]) == 2)
    }

    @Test("agentic: self-improvement loops and iterations")
    func agentic() async throws {
        let s = try await run { t in
            t.emit(SelfImprovementLoop(outcome: .success, iterations: 3))
            t.emit(SelfImprovementLoop(outcome: .failure, iterations: 5))
        }
        #expect(s.value("agent_self_improvement_loops_total", ["outcome": "success"]) == 1)
        #expect(s.histogramValue("agent_self_improvement_iterations")?.sum == 8)
    }

    @Test("coding vertical: files, lines, issues by severity, tests, backlog, vertical usage")
    func coding() async throws {
        let s = try await run { t in
            t.emit(CodeAnalysisCompleted(language: "swift", filesAnalyzed: 12, linesReviewed: 3400,
                                         issues: [.high: 2, .low: 5], duration: .seconds(4)))
            t.emit(TestsGenerated(language: "swift", count: 7))
            t.emit(CodingQueueChanged(pending: 9))
        }
        #expect(s.value("agent_coding_files_analyzed_total", ["language": "swift"]) == 12)
        #expect(s.value("agent_coding_lines_reviewed_total", ["language": "swift"]) == 3400)
        #expect(s.value("agent_coding_issues_found_total", ["severity": "high"]) == 2)
        #expect(s.value("agent_coding_issues_found_total", ["severity": "low"]) == 5)
        #expect(s.value("agent_coding_tests_generated_total", ["language": "swift"]) == 7)
        #expect(s.value("agent_coding_analyses_pending") == 9)
        #expect(s.value("agent_vertical_usage_total", ["vertical": "coding", "outcome": "success"]) == 2)
    }

    @Test("RAG vertical: ingestion, retrieval latency and accuracy, index size")
    func rag() async throws {
        let s = try await run { t in
            t.emit(DocumentsIngested(source: "confluence", count: 120))
            t.emit(RetrievalPerformed(index: "docs", latency: .milliseconds(80), results: 5, accuracy: 0.6))
            t.emit(IndexSizeReported(index: "docs", documents: 120, bytes: 1_048_576))
        }
        #expect(s.value("agent_rag_documents_ingested_total", ["source": "confluence"]) == 120)
        #expect(s.histogramValue("agent_rag_retrieval_duration_seconds", ["index": "docs"])?.count == 1)
        #expect(s.histogramValue("agent_rag_search_accuracy_ratio")?.sum == 0.6)
        #expect(s.value("agent_rag_index_documents", ["index": "docs"]) == 120)
        #expect(s.value("agent_rag_index_size_bytes", ["index": "docs"]) == 1_048_576)
        #expect(s.value("agent_vertical_usage_total", ["vertical": "rag", "outcome": "success"]) == 2)
    }

    @Test("DevOps vertical: deployments, containers, pipelines")
    func devops() async throws {
        let s = try await run { t in
            t.emit(DeploymentCompleted(environment: "production", outcome: .failure, duration: .seconds(90)))
            t.emit(ContainersManaged(action: "restart", count: 3))
            t.emit(PipelineRunCompleted(pipeline: "main", outcome: .success, duration: .seconds(300)))
        }
        #expect(s.value("agent_devops_deployments_total", ["environment": "production", "outcome": "failure"]) == 1)
        #expect(s.value("agent_devops_containers_managed_total", ["action": "restart"]) == 3)
        #expect(s.value("agent_devops_pipeline_runs_total", ["pipeline": "main", "outcome": "success"]) == 1)
        #expect(s.histogramValue("agent_devops_pipeline_duration_seconds")?.sum == 300)
    }

    @Test("data analysis and research verticals")
    func dataAndResearch() async throws {
        let s = try await run { t in
            t.emit(DataQueryExecuted(source: "postgres", outcome: .success, duration: .milliseconds(250)))
            t.emit(VisualizationCreated(kind: "bar"))
            t.emit(ResearchSearchPerformed(source: "arxiv", citations: 4))
            t.emit(SynthesisCompleted(duration: .seconds(12)))
        }
        #expect(s.value("agent_data_queries_total", ["source": "postgres", "outcome": "success"]) == 1)
        #expect(s.value("agent_data_visualizations_total", ["kind": "bar"]) == 1)
        #expect(s.value("agent_research_searches_total", ["source": "arxiv", "outcome": "success"]) == 1)
        #expect(s.histogramValue("agent_research_citations_per_search")?.sum == 4)
        #expect(s.histogramValue("agent_research_synthesis_duration_seconds")?.sum == 12)
        #expect(s.value("agent_vertical_usage_total", ["vertical": "research", "outcome": "success"]) == 2)
        #expect(s.value("agent_vertical_usage_total", ["vertical": "data_analysis", "outcome": "success"]) == 2)
    }

    @Test("security: tests, vulnerabilities, scans")
    func security() async throws {
        let s = try await run { t in
            t.emit(SecurityTestCompleted(suite: "prompt_injection", outcome: .success))
            t.emit(SecurityTestCompleted(suite: "prompt_injection", outcome: .failure))
            t.emit(VulnerabilityFound(severity: .critical, scanner: "trivy"))
            t.emit(SecurityScanCompleted(scanner: "trivy", duration: .seconds(40)))
        }
        #expect(s.value("agent_security_tests_total", ["suite": "prompt_injection", "outcome": "success"]) == 1)
        #expect(s.value("agent_vulnerabilities_found_total", ["severity": "critical", "scanner": "trivy"]) == 1)
        #expect(s.value("agent_security_scans_total", ["scanner": "trivy", "outcome": "success"]) == 1)
        #expect(s.histogramValue("agent_security_scan_duration_seconds", ["scanner": "trivy"])?.sum == 40)
    }

    @Test("every event-driven catalog metric is registered under the documented name, type, labels and buckets")
    func registeredAsDocumented() async throws {
        let t = try Telemetry().started()
        let s = t.registry.snapshot()
        for d in MetricCatalog.all where d.origin != .pipeline {
            let name = d.name(namespace: "agent")
            let f = try #require(s.family(named: name) ?? t.registry.snapshot().family(named: name), "\(name) is not registered")
            #expect(f.info.type == d.type, "\(name)")
            // Exported without the opt-in labels, which no view opts in to here.
            #expect(f.info.labelNames == d.labelNames.filter { !d.optInLabelNames.contains($0) }, "\(name)")
            #expect(f.info.attributeKeys == d.attributeKeys.filter { !d.optInKeys.contains($0) }, "\(name)")
            #expect(f.info.buckets == d.buckets, "\(name)")
        }
        await t.shutdown()
    }

    @Test("free-form labels are bounded by the cardinality limit")
    func freeFormLabelsBounded() async throws {
        var config = TelemetryConfiguration(cardinalityLimit: 50)
        config.bus = .init(capacity: 100_000, subscriberCapacity: 100_000)
        let t = try Telemetry(configuration: config).started()
        for i in 0..<1_000 {
            t.emit(ProviderRequest(provider: .openAI, model: "model-\(i)", outcome: .success, latency: .milliseconds(5), inputTokens: 1))
            t.emit(ToolExecuted(tool: "tool-\(i)", outcome: .success, duration: .milliseconds(1)))
        }
        await t.flush()
        let s = t.registry.snapshot()
        for f in s.families { #expect(f.series.count <= 51, "\(f.info.name) has \(f.series.count) series") }
        await t.shutdown()
    }
}

@Suite("Process sampler")
struct ProcessSamplerTests {
    /// Linux's /proc, which the comparison reads; says so when absent (macOS).
    static let hasProcfs: Bool = {
        let present = FileManager.default.fileExists(atPath: "/proc/self/stat")
        if !present { print("SKIPPED: /proc/self/stat is absent (not Linux); the comparison with /proc runs on Linux only") }
        return present
    }()
    /// Reads a number of kB from /proc/self/status independently of the sampler.
    func statusKB(_ key: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        }
        return nil
    }

    @Test("values agree with /proc/self within tolerance", .enabled(if: hasProcfs))
    func agreesWithProc() throws {
        let registry = MetricRegistry()
        _ = try ProcessSampler(registry: registry)
        let s = registry.snapshot()
        let rss = try #require(s.value("process_resident_memory_bytes"))
        let vm = try #require(s.value("process_virtual_memory_bytes"))
        let expectedRSS = try #require(statusKB("VmRSS")) * 1024
        let expectedVM = try #require(statusKB("VmSize")) * 1024
        #expect(abs(rss - expectedRSS) / expectedRSS < 0.2, "rss \(rss) vs \(expectedRSS)")
        #expect(abs(vm - expectedVM) / expectedVM < 0.2, "vm \(vm) vs \(expectedVM)")
        let fds = try #require(s.value("process_open_fds"))
        let listed = Double(try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count)
        #expect(abs(fds - listed) <= 3)
        let start = try #require(s.value("process_start_time_seconds"))
        #expect(start > 1.6e9 && start <= Date().timeIntervalSince1970 + 1)
        #expect((s.value("process_cpu_seconds_total") ?? 0) > 0)
        let ratio = try #require(s.value("agent_process_memory_usage_ratio"))
        #expect(ratio > 0 && ratio < 1)
        #expect((s.value("process_max_fds") ?? 0) >= 256)
    }

    @Test("CPU utilisation is the CPU time used between two snapshots over the elapsed time and the CPUs")
    func cpuRatio() throws {
        let registry = MetricRegistry()
        let clock = ManualClock()
        final class Samples: Sendable { let cpu = Mutex(10.0) }
        let samples = Samples()
        _ = try ProcessSampler(registry: registry, clock: clock.telemetryClock) {
            ProcessSample(cpuSeconds: samples.cpu.withLock { $0 }, residentBytes: 1, virtualBytes: 1, openFDs: 1, maxFDs: 2,
                          startTimeSeconds: 0, memoryLimitBytes: nil, availableCPUs: 2)
        }
        // 1.5 CPU-seconds over 1 s of a 2-CPU machine is 75 %.
        samples.cpu.withLock { $0 += 1.5 }
        clock.advance(by: .seconds(1))
        #expect(registry.snapshot().value("agent_process_cpu_usage_ratio") == 0.75)
        // An idle second: 0 %.
        clock.advance(by: .seconds(1))
        #expect(registry.snapshot().value("agent_process_cpu_usage_ratio") == 0)
    }
}

import AgentTelemetryTestSupport
import Foundation
import Testing

/// Past one machine, with real servers: three `agent-telemetry demo` replicas, a Prometheus "A"
/// that scrapes them with the shipped recording rules and forwards everything with the shipped
/// `remote_write` block, and a Prometheus "B" (`--web.enable-remote-write-receiver`) standing in
/// for long-term storage (Thanos Receive, Mimir and Cortex take the same protocol).
@Suite("A fleet of replicas into long-term storage, with real Prometheus servers")
struct FleetRemoteWriteTests {
    static let enabled = AssetTools.available(AssetTools.prometheus != nil, "prometheus is not installed")

    /// The labels that name the fleet; every fleet rule must keep them.
    static let fleet = ["job": "agent", "service": "support-agent", "deployment_environment": "fleet-test"]
    /// Requests per second of each replica: different, so that replicas mixed up on B would show.
    static let rates = [10, 20, 30]
    /// Prometheus A's scrape interval, scrape timeout and evaluation interval, in seconds.
    static let interval = 1.0

    @Test("on B, the fleet rule agent:tool_executions_total:sum equals the sum of the three replicas' own counters read at the same moment (within one scrape interval), and each replica is a series of its own",
          .enabled(if: enabled), .timeLimit(.minutes(3)))
    func fleetTotalOnLongTermStorage() async throws {
        let executable = try #require(DemoReplica.executable,
                                      "agent-telemetry is not built next to the tests; run swift build --build-tests")
        let storage = try PrometheusProcess(extraFlags: ["--web.enable-remote-write-receiver"]) { _ in
            "global:\n  evaluation_interval: 1m\nscrape_configs: []\n"
        }
        defer { storage.stop() }

        var replicas: [DemoReplica] = []
        defer { for replica in replicas { replica.stop() } }
        for (i, rate) in Self.rates.enumerated() {
            replicas.append(try DemoReplica(executable: executable, port: try FreePort.find(), rate: rate, seed: 100 + i))
        }
        for replica in replicas {
            let serving = await eventually(timeout: .seconds(60)) { (try? await get(replica.metricsURL).status) == 200 }
            try #require(serving, "replica on port \(replica.port) does not serve /metrics: \(replica.log())")
        }

        // The replicas' own counters, read continuously and timed with the wall clock Prometheus
        // stamps its samples with.
        let readings = Readings(replicas: replicas.count)
        let urls = replicas.map(\.metricsURL)
        let reader = Task {
            while !Task.isCancelled {
                for (i, url) in urls.enumerated() {
                    let started = Date().timeIntervalSince1970
                    guard let body = try? await get(url).body else { continue }
                    let value = DemoReplica.total(of: "agent_tool_executions_total", in: String(decoding: body, as: UTF8.self))
                    await readings.add(.init(started: started, ended: Date().timeIntervalSince1970, value: value), replica: i)
                }
                try? await Task.sleep(for: .milliseconds(50))  // pacing only
            }
        }
        defer { reader.cancel() }

        let remoteWrite = try Self.remoteWrite(to: "http://127.0.0.1:\(storage.port)/api/v1/write")
        // On SIGTERM, A keeps sending what it has queued for up to the flush deadline (1 min by default).
        let collector = try PrometheusProcess(extraFlags: ["--storage.remote.flush-deadline=10s"]) { port in
            Self.collectorConfiguration(replicas: replicas, selfPort: port, remoteWrite: remoteWrite)
        }
        defer { collector.stop() }

        // Wait until B holds every replica's counters, the fleet rule computed from them, and a
        // per-replica rule (a rate: it needs two scrapes).
        let arrived = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
            let perReplica = (try? await Self.vector(storage, "count by (instance) (agent_tool_executions_total)")) ?? []
            let rule = (try? await Self.vector(storage, "agent:tool_executions_total:sum")) ?? []
            let cpu = (try? await Self.vector(storage, "instance:process_cpu_seconds:rate5m")) ?? []
            return perReplica.count == replicas.count && !rule.isEmpty && cpu.count == replicas.count
        }
        if !arrived {
            // Say which part is missing, and whether A has it (then the write filter dropped it).
            var missing: [String] = []
            for query in ["count by (instance) (agent_tool_executions_total)", "agent:tool_executions_total:sum",
                          "instance:process_cpu_seconds:rate5m"] {
                let onA = (try? await Self.vector(collector, query))?.map(\.labels) ?? []
                let onB = (try? await Self.vector(storage, query))?.map(\.labels) ?? []
                missing.append("\(query): A \(onA.count) series \(onA.prefix(2)), B \(onB.count) series")
            }
            Issue.record("B does not have the fleet's data after 90 s:\n\(missing.joined(separator: "\n"))\nA: \(collector.log())\nB: \(storage.log())")
            return
        }

        // The fleet rule keeps the fleet's labels and none of a replica's.
        for series in try await Self.vector(storage, "agent:tool_executions_total:sum") {
            let labels = series.labels.filter { $0.key != "__name__" }
            #expect(Self.fleet.allSatisfy { labels[$0.key] == $0.value }, "fleet labels missing: \(labels)")
            #expect(Set(labels.keys).subtracting(Self.fleet.keys) == ["tool", "vertical", "outcome"], "\(labels)")
        }
        // Each replica is its own series on B, labelled with its target and pod, per-replica rules too.
        let expected = Set(replicas.enumerated().map { "127.0.0.1:\($0.element.port) replica-\($0.offset)" })
        let onStorage = try await Self.vector(storage, "count by (instance, pod) (agent_tool_executions_total)")
        #expect(Set(onStorage.map { "\($0.labels["instance"] ?? "") \($0.labels["pod"] ?? "")" }) == expected)
        let cpu = try await Self.vector(storage, "instance:process_cpu_seconds:rate5m")
        #expect(Set(cpu.map { "\($0.labels["instance"] ?? "") \($0.labels["pod"] ?? "")" }) == expected,
                "per-replica rule on B: \(cpu.map(\.labels))")
        // write_relabel_configs kept only the agent: A scrapes itself, and none of that reached B.
        #expect(try await Self.vector(storage, "count({job=\"prometheus\"})").isEmpty)
        #expect(try await Self.vector(storage, "count({__name__=~\"prometheus_.+\"})").isEmpty)
        #expect(!(try await Self.vector(collector, "prometheus_build_info{job=\"prometheus\"}")).isEmpty,
                "A does scrape itself, so the filter was tested")

        // Compare one evaluation of the rule on B with the replicas' own counters. Retried on the
        // next evaluation (at most 10) when one did not line up; every failure is reported.
        var problems: [String] = []
        var lastEvaluation = 0.0
        for _ in 0..<10 {
            let outcome = try await Self.compareOneEvaluation(storage: storage, replicas: replicas, readings: readings,
                                                              after: lastEvaluation)
            lastEvaluation = outcome.evaluation
            if outcome.problems.isEmpty { problems = []; break }
            problems.append(contentsOf: outcome.problems)
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))\nA: \(collector.log())\nB: \(storage.log())")
    }

    // MARK: - One comparison

    struct Outcome {
        var evaluation: Double
        var problems: [String]
    }

    /// Takes the latest evaluation `t` of the fleet rule on B (later than `previous`), waits until B
    /// holds every sample up to `t`, and checks, as of `t`:
    /// - the fleet total equals the sum of the replicas' series on B (the rule adds up exactly the
    ///   three replicas), and
    /// - each replica's series on B lies between that replica's own counter read just before the
    ///   scrape Prometheus stamped and just after the scrape timeout: the drift allowed is one
    ///   scrape interval of the replica's own growth.
    static func compareOneEvaluation(storage: some QueryAPI, replicas: [DemoReplica], readings: Readings,
                                     after previous: Double) async throws -> Outcome {
        var evaluation = 0.0
        let advanced = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            evaluation = (try? await scalar(storage, "max(timestamp(agent:tool_executions_total:sum))")) ?? 0
            return evaluation > previous
        }
        guard advanced else { return Outcome(evaluation: previous, problems: ["no new evaluation of the fleet rule on B"]) }
        // Remote write sends each series in order, so once every series has a later sample, B
        // holds all of them up to `evaluation`.
        let complete = await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            let raw = (try? await scalar(storage, "min(timestamp(agent_tool_executions_total))")) ?? 0
            let rule = (try? await scalar(storage, "min(timestamp(agent:tool_executions_total:sum))")) ?? 0
            return raw > evaluation && rule > evaluation
        }
        guard complete else { return Outcome(evaluation: evaluation, problems: ["B did not receive the samples after \(evaluation)"]) }

        let fleetTotal = try await scalar(storage, "sum(agent:tool_executions_total:sum)", at: evaluation) ?? -1
        let perReplica = try await vector(storage, "sum by (instance) (agent_tool_executions_total)", at: evaluation)
        let scraped = try await vector(storage, "max by (instance) (timestamp(agent_tool_executions_total))", at: evaluation)
        var problems: [String] = []
        let onStorage = perReplica.map(\.value).reduce(0, +)
        if fleetTotal != onStorage {
            // A scrape is stamped with its start time but appended when it ends; on a busy machine
            // a rule evaluated at t can run before a scrape stamped at or before t is appended, and
            // then counts that replica at its previous scrape. So each replica may be counted at
            // its latest or its previous sample: the rule must equal one of those sums exactly.
            var choices: [[Double]] = []
            for sample in perReplica {
                guard let instance = sample.labels["instance"],
                      let at = scraped.first(where: { $0.labels["instance"] == instance })?.value else { continue }
                let before = try await vector(storage, "sum by (instance) (agent_tool_executions_total{instance=\"\(instance)\"})",
                                              at: at - 0.001).first?.value
                choices.append(before.map { [sample.value, $0] } ?? [sample.value])
            }
            let sums = choices.reduce([0.0]) { partial, options in partial.flatMap { p in options.map { p + $0 } } }
            if !sums.contains(fleetTotal) {
                problems.append("at \(evaluation): fleet rule \(fleetTotal) is not the sum of the replicas' series on B, "
                                + "each at its latest or previous scrape (latest: \(onStorage); possible: \(Set(sums).sorted()))")
            } else {
                print("fleet rule at \(evaluation) counted a replica at its previous scrape (appended after the evaluation): \(fleetTotal), latest \(onStorage)")
            }
        }
        var compared: [String] = []
        for (i, replica) in replicas.enumerated() {
            let instance = "127.0.0.1:\(replica.port)"
            guard let value = perReplica.first(where: { $0.labels["instance"] == instance })?.value,
                  let scrapedAt = scraped.first(where: { $0.labels["instance"] == instance })?.value else {
                problems.append("at \(evaluation): no series of \(instance) on B")
                continue
            }
            // A read that ended before the scrape started (its timestamp, up to a few ms of
            // alignment) and one that started after the scrape's timeout had passed.
            var bracket: (lower: Readings.Reading, upper: Readings.Reading)?
            _ = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                bracket = await readings.bracket(replica: i, before: scrapedAt - 0.01, after: scrapedAt + interval)
                return bracket != nil
            }
            guard let bracket else {
                problems.append("at \(evaluation): no reading of \(instance) around \(scrapedAt)")
                continue
            }
            if !(bracket.lower.value <= value && value <= bracket.upper.value) {
                problems.append("at \(evaluation): \(instance) on B is \(value), its own counter read \(bracket.lower.value) "
                                + "before and \(bracket.upper.value) one scrape interval after the scrape at \(scrapedAt)")
            }
            compared.append("\(instance) \(bracket.lower.value) <= \(value) <= \(bracket.upper.value)")
        }
        if problems.isEmpty {
            print("fleet total on B at \(evaluation): \(fleetTotal) = sum of \(compared.joined(separator: ", "))")
        }
        return Outcome(evaluation: evaluation, problems: problems)
    }

    // MARK: - Configuration of Prometheus A

    /// The shipped `remote_write` block, turned on as the comment in prometheus.yml says, with its
    /// one `url:` pointed at `url`.
    static func remoteWrite(to url: String) throws -> String {
        var lines = try AssetTools.remoteWriteBlock().components(separatedBy: "\n")
        let urls = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("url: ") }
        try #require(urls.count == 1, "the remote_write block should have exactly one url: \(lines)")
        let line = lines[urls[0]]
        lines[urls[0]] = String(line.prefix { $0 == " " }) + "url: " + url
        return lines.joined(separator: "\n")
    }

    /// Scrapes the replicas as job `agent` (one target each, with the fleet's labels and a `pod`)
    /// and Prometheus itself as job `prometheus`, evaluates the shipped recording rules.
    static func collectorConfiguration(replicas: [DemoReplica], selfPort: Int, remoteWrite: String) -> String {
        let targets = replicas.enumerated().map { i, replica in
            """
                  - targets: ['127.0.0.1:\(replica.port)']
                    labels: {service: \(fleet["service"]!), deployment_environment: \(fleet["deployment_environment"]!), pod: replica-\(i)}

            """
        }.joined()
        return """
            global:
              scrape_interval: \(Int(interval))s
              scrape_timeout: \(Int(interval))s
              evaluation_interval: \(Int(interval))s
            rule_files:
              - '\(AssetTools.path("configs/prometheus/recording_rules.yml"))'
            scrape_configs:
              - job_name: agent
                static_configs:
            \(targets)  - job_name: prometheus
                static_configs:
                  - targets: ['127.0.0.1:\(selfPort)']

            """ + remoteWrite
    }

    // MARK: - Prometheus HTTP API

    struct Sample {
        var labels: [String: String]
        var value: Double
    }

    /// An instant query, now or at `time` (seconds since 1970).
    static func vector(_ server: some QueryAPI, _ query: String, at time: Double? = nil) async throws -> [Sample] {
        var params = ["query": query]
        if let time { params["time"] = String(format: "%.3f", time) }
        return try await server.api("/api/v1/query", params).compactMap { result in
            guard let value = result["value"] as? [Any], value.count == 2, let text = value[1] as? String,
                  let number = Double(text) else { return nil }
            return Sample(labels: result["metric"] as? [String: String] ?? [:], value: number)
        }
    }

    /// The value of a query that yields one sample, or nil when it yields none.
    static func scalar(_ server: some QueryAPI, _ query: String, at time: Double? = nil) async throws -> Double? {
        try await vector(server, query, at: time).first?.value
    }
}

/// A server with Prometheus' HTTP query API: Prometheus itself, or VictoriaMetrics.
protocol QueryAPI: Sendable {
    /// Calls `path` with `params` and returns `data.result`.
    func api(_ path: String, _ params: [String: String]) async throws -> [[String: Any]]
}

extension PrometheusProcess: QueryAPI {}

/// What the test read from the replicas' own `/metrics`: per replica, the counter total and the
/// wall-clock interval in which the replica produced it.
actor Readings {
    struct Reading: Sendable {
        var started: Double
        var ended: Double
        var value: Double
    }

    private var readings: [[Reading]]

    init(replicas: Int) { readings = Array(repeating: [], count: replicas) }

    func add(_ reading: Reading, replica: Int) { readings[replica].append(reading) }

    /// The last read that ended by `before` and the first that started at or after `after`: the
    /// replica's counter at any moment between the two lies between their values.
    func bracket(replica: Int, before: Double, after: Double) -> (lower: Reading, upper: Reading)? {
        guard let lower = readings[replica].last(where: { $0.ended <= before }),
              let upper = readings[replica].first(where: { $0.started >= after }) else { return nil }
        return (lower, upper)
    }
}

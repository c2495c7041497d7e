import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing

/// The shipped alerts, end to end: the demo plays an incident (`--scenario`), a real Prometheus
/// evaluates the shipped recording and alerting rules (accelerated profile: windows and `for:`
/// divided by `AlertProfiles.defaultFactor`, thresholds untouched), a real Alertmanager with the
/// shipped configuration (receivers pointed at a loopback webhook) routes and inhibits, and the
/// webhook sees every alert fire with its labels and runbook and resolve after the incident.
///
/// CI runs a representative subset (`subsetFiresRoutesAndResolves`); the whole table is
///   AGENT_TELEMETRY_ALERT_MATRIX=full swift test --filter AlertEndToEndTests
/// which prints one line per alert: alert -> scenario -> fired at / resolved at.
@Suite("Shipped alerts fire, route and resolve end to end")
struct AlertEndToEndTests {
    static let enabled = AssetTools.available(
        AssetTools.prometheus != nil && AlertRig.alertmanagerBinary != nil && DemoReplica.executable != nil,
        "prometheus, alertmanager or the agent-telemetry executable is missing (install: apt-get install prometheus prometheus-alertmanager)")
    static let fullMatrix = ProcessInfo.processInfo.environment["AGENT_TELEMETRY_ALERT_MATRIX"] == "full"

    /// Wall-clock seconds of normal workload before an incident, and its length: 120 s is 40
    /// minutes of rule time, longer than any shipped 5 or 15 minute window plus its `for:`.
    static let scenarioStart = 15.0
    static let scenarioDuration = 120.0

    @Test("the scenario table covers every shipped alert, or says why an alert is not played")
    func tableCoversEveryAlert() async throws {
        guard Self.enabled, let executable = DemoReplica.executable else { return }
        let listing = try await AssetTools.run(executable.path, ["demo", "--scenario", "list"])
        #expect(listing.status == 0, "\(listing)")
        let (scenarios, unplayed) = ListedScenario.parse(listing.output)
        let shipped = try ShippedAlert.all()
        let covered = Set(scenarios.flatMap { $0.alerts + $0.inhibited } + unplayed)
        #expect(covered == Set(shipped.keys), "not covered: \(Set(shipped.keys).subtracting(covered).sorted()); unknown: \(covered.subtracting(shipped.keys).sorted())")
    }

    @Test("provider outage, cache collapse and latency meltdown: critical and warning alerts reach their receivers and resolve",
          .enabled(if: enabled), .timeLimit(.minutes(15)))
    func subsetFiresRoutesAndResolves() async throws {
        let report = try await Self.play(["provider-outage", "cache-collapse", "latency-meltdown"])
        print(report.joined(separator: "\n"))
    }

    @Test("every scenario of the table (AGENT_TELEMETRY_ALERT_MATRIX=full)",
          .enabled(if: enabled && fullMatrix), .timeLimit(.minutes(120)))
    func fullMatrixFiresRoutesAndResolves() async throws {
        let executable = try #require(DemoReplica.executable)
        let listing = try await AssetTools.run(executable.path, ["demo", "--scenario", "list"])
        // AGENT_TELEMETRY_ALERT_SCENARIOS=a,b plays only those (to re-run part of the matrix).
        let only = ProcessInfo.processInfo.environment["AGENT_TELEMETRY_ALERT_SCENARIOS"].map { Set($0.split(separator: ",").map(String.init)) }
        let scenarios = ListedScenario.parse(listing.output).scenarios.map(\.name).filter { only?.contains($0) ?? true }
        let jobs = max(1, Int(ProcessInfo.processInfo.environment["AGENT_TELEMETRY_ALERT_MATRIX_JOBS"] ?? "") ?? 2)
        var lines: [String] = []
        try await withThrowingTaskGroup(of: [String].self) { group in
            var pending = scenarios[...]
            for _ in 0..<jobs {
                if let next = pending.popFirst() { group.addTask { try await Self.play([next]) } }
            }
            while let done = try await group.next() {
                lines += done
                if let next = pending.popFirst() { group.addTask { try await Self.play([next]) } }
            }
        }
        print("alert -> scenario -> fired at / resolved at (seconds after the incident started / ended; rule time is \(AlertProfiles.defaultFactor)x)")
        print(lines.sorted().joined(separator: "\n"))
    }

    @Test("the normal workload fires no alert for an hour of rule time",
          .enabled(if: enabled), .timeLimit(.minutes(15)))
    func normalWorkloadFiresNothing() async throws {
        let rig = try await AlertRig(scenarios: [], scenarioStart: 0, scenarioDuration: 1)
        defer { rig.stop() }
        // 180 s of wall time is an hour of rule time: every window has filled, and every `for:`
        // (the longest is 15 min) has passed several times over.
        let observed = 180.0 * Double(AlertProfiles.defaultFactor) / 60
        let clock = ContinuousClock()
        let start = clock.now
        var seen: Set<String> = []
        var evaluated = false
        while clock.now - start < .seconds(180) {
            seen.formUnion(try await rig.firing())
            if !evaluated { evaluated = (try? await rig.prometheus?.query("count(agent:requests:rate5m)")).flatMap { $0 } != nil }
            try await Task.sleep(for: .seconds(1))
        }
        #expect(evaluated, "the recording rules never produced agent:requests:rate5m\n\(rig.logs())")
        #expect(seen.isEmpty, "fired in the normal workload (\(Int(observed)) min of rule time): \(seen.sorted())")
        let delivered = Set(rig.webhook.deliveries.map(\.alertname))
        #expect(delivered.isEmpty, "delivered in the normal workload: \(delivered.sorted())")
        print("normal workload: \(Int(observed)) min of rule time, no alert fired")
    }

    /// Plays `scenarios` together in one rig and checks every alert their table entries name;
    /// returns one report line per alert.
    static func play(_ scenarios: [String]) async throws -> [String] {
        let executable = try #require(DemoReplica.executable)
        let listing = try await AssetTools.run(executable.path, ["demo", "--scenario", "list"])
        let table = ListedScenario.parse(listing.output).scenarios
        let shipped = try ShippedAlert.all()
        let played = table.filter { scenarios.contains($0.name) }
        try #require(played.count == scenarios.count, "unknown scenario in \(scenarios)")
        let crash = scenarios.contains("crash")

        let rig = try await AlertRig(scenarios: scenarios, scenarioStart: scenarioStart, scenarioDuration: scenarioDuration)
        defer { rig.stop() }
        // Measured from the demo's launch: its scenario clock starts a little later (no earlier),
        // so these are lower bounds of the incident's real start and end.
        let incidentStart = rig.demoStarted.addingTimeInterval(scenarioStart)
        var incidentEnd = incidentStart.addingTimeInterval(scenarioDuration)

        // Who fires what: alert → the scenario whose entry names it.
        var expected: [(alert: ShippedAlert, scenario: String)] = []
        var inhibited: [(alert: String, scenario: String)] = []
        for s in played {
            for name in s.alerts { expected.append((try #require(shipped[name], "\(name) is not a shipped alert"), s.name)) }
            for name in s.inhibited { inhibited.append((name, s.name)) }
        }

        func delivered(_ alert: ShippedAlert, _ status: String, to receiver: String) -> WebhookRecorder.Delivery? {
            rig.webhook.deliveries.first { $0.alertname == alert.name && $0.status == status && $0.receiver == receiver }
        }
        // Firing: within the incident plus a generous bound for a busy machine.
        var suppressedSeen: Set<String> = []
        let fired = await eventually(timeout: .seconds(scenarioStart + scenarioDuration + 60), every: .seconds(1)) {
            if !inhibited.isEmpty {
                for (name, state) in (try? await rig.alertmanagerStates()) ?? [:] where state == "suppressed" { suppressedSeen.insert(name) }
            }
            return expected.allSatisfy { e in e.alert.receivers.allSatisfy { delivered(e.alert, "firing", to: $0) != nil } }
                && inhibited.allSatisfy { suppressedSeen.contains($0.alert) }
        }
        let missing = expected.filter { e in e.alert.receivers.contains { delivered(e.alert, "firing", to: $0) == nil } }.map(\.alert.name)
        let firingNow = fired ? [] : ((try? await rig.firing())?.sorted() ?? [])
        try #require(fired, "not delivered as firing: \(missing); not seen suppressed: \(inhibited.map(\.alert).filter { !suppressedSeen.contains($0) })\nfiring in Prometheus: \(firingNow)\n\(rig.logs())")

        // Each delivery carries the rule's labels and runbook, and only goes where the routes say.
        for (alert, _) in expected {
            for d in rig.webhook.deliveries where d.alertname == alert.name {
                #expect(d.labels["severity"] == alert.severity, "\(alert.name): \(d.labels)")
                #expect(d.labels["component"] == alert.component, "\(alert.name): \(d.labels)")
                #expect(d.labels["job"] == "agent" && d.labels["service"] == "agent-telemetry-demo", "\(alert.name): \(d.labels)")
                #expect(d.annotations["runbook_url"] == alert.runbookURL && !alert.runbookURL.isEmpty, "\(alert.name): \(d.annotations)")
                #expect(d.annotations["summary"]?.isEmpty == false, "\(alert.name): \(d.annotations)")
                #expect(alert.receivers.contains(d.receiver), "\(alert.name) (\(alert.severity)) went to \(d.receiver)")
            }
        }

        // The crash scenario's process died at the start of the incident: the supervisor (here
        // the test) restarts it once the alert has fired, which ends the incident.
        if crash {
            try rig.restartDemo()
            incidentEnd = Date()
        }

        // Resolved: after the incident, once the longest window has emptied, plus a bound.
        let remaining = max(0, incidentEnd.timeIntervalSinceNow)
        let resolved = await eventually(timeout: .seconds(remaining + 300), every: .seconds(1)) {
            expected.allSatisfy { e in e.alert.resolvedReceivers.allSatisfy { delivered(e.alert, "resolved", to: $0) != nil } }
        }
        let unresolved = expected.filter { e in e.alert.resolvedReceivers.contains { delivered(e.alert, "resolved", to: $0) == nil } }.map(\.alert.name)
        #expect(resolved, "not delivered as resolved: \(unresolved)\n\(rig.logs())")
        for d in rig.webhook.deliveries where d.status == "resolved" {
            #expect(d.at >= incidentEnd.addingTimeInterval(-1), "\(d.alertname) resolved at \(d.at), before the incident ended at \(incidentEnd)")
        }

        var lines: [String] = []
        for (alert, scenario) in expected {
            let firedAt = alert.receivers.compactMap { delivered(alert, "firing", to: $0)?.at }.min()
            let resolvedAt = alert.resolvedReceivers.compactMap { delivered(alert, "resolved", to: $0)?.at }.min()
            func since(_ date: Date?, _ origin: Date) -> String { date.map { String(format: "+%.0fs", $0.timeIntervalSince(origin)) } ?? "never" }
            lines.append("\(alert.name) -> \(scenario) -> fired at \(since(firedAt, incidentStart)) (\(alert.severity): \(alert.receivers.joined(separator: ", "))) / resolved at \(since(resolvedAt, incidentEnd))")
        }
        for (alert, scenario) in inhibited {
            lines.append("\(alert) -> \(scenario) -> fired, suppressed by Alertmanager's inhibition (a critical of the same component)")
        }
        return lines
    }
}

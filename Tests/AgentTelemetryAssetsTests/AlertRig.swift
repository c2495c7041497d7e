import AgentTelemetryTestSupport
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP server on loopback that records what Alertmanager's webhook receivers deliver: one
/// entry per alert of each notification, with the receiver (the request path), the alert's own
/// status, labels and annotations. A blocking accept loop on a thread of its own; Alertmanager
/// sends one notification per request, and the server closes each connection after answering.
final class WebhookRecorder: Sendable {
    struct Delivery: Sendable {
        var receiver: String
        var status: String
        var labels: [String: String]
        var annotations: [String: String]
        var at: Date
        var alertname: String { labels["alertname"] ?? "" }
    }

    let port: Int
    private let listener: Int32
    private let recorded = Mutex<[Delivery]>([])

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw RawTCP.POSIXFailure(call: "socket") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { close(listener); throw RawTCP.POSIXFailure(call: "bind/listen") }
        port = Int(UInt16(bigEndian: addr.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var deliveries: [Delivery] { recorded.withLock { $0 } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return  // the listener was closed
            }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if let end = headerEnd, data.count >= end + contentLength { break }
            let n = chunk.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            data.append(contentsOf: chunk[0..<n])
            if headerEnd == nil, let range = findHeaderEnd(data) {
                headerEnd = range
                let head = String(decoding: data[..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let end = headerEnd else { return }
        let head = String(decoding: data[..<end], as: UTF8.self)
        let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let body = Data(data[end..<min(data.count, end + contentLength)])
        record(receiver: String(path.drop { $0 == "/" }), body: body)
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = response.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
    }

    private func findHeaderEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i + 4
        }
        return nil
    }

    private func record(receiver: String, body: Data) {
        guard let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
              let alerts = json["alerts"] as? [[String: Any]] else { return }
        let now = Date()
        let new = alerts.map { a in
            Delivery(receiver: receiver, status: a["status"] as? String ?? "",
                     labels: a["labels"] as? [String: String] ?? [:], annotations: a["annotations"] as? [String: String] ?? [:], at: now)
        }
        recorded.withLock { $0.append(contentsOf: new) }
    }
}

/// What configs/prometheus/alerting_rules.yml says of each alert: its severity and runbook.
struct ShippedAlert: Sendable {
    var name: String
    var severity: String
    var component: String
    var runbookURL: String

    static func all() throws -> [String: ShippedAlert] {
        let text = try String(contentsOfFile: AssetTools.path("configs/prometheus/alerting_rules.yml"), encoding: .utf8)
        var out: [String: ShippedAlert] = [:]
        var current: ShippedAlert?
        func value(_ line: Substring, _ key: String) -> String? {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix(key) else { return nil }
            return t.dropFirst(key.count).trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        for line in text.split(separator: "\n") {
            if let name = value(line, "- alert:") {
                if let current { out[current.name] = current }
                current = ShippedAlert(name: name, severity: "", component: "", runbookURL: "")
            } else if let v = value(line, "severity:") { current?.severity = v
            } else if let v = value(line, "component:") { current?.component = v
            } else if let v = value(line, "runbook_url:") { current?.runbookURL = v }
        }
        if let current { out[current.name] = current }
        return out
    }

    /// The receivers configs/alertmanager/alertmanager.yml routes this severity to, and which of
    /// them send resolved notifications.
    var receivers: [String] { severity == "critical" ? ["pagerduty-critical", "slack-critical"] : ["slack-warnings", "email-digest"] }
    var resolvedReceivers: [String] { severity == "critical" ? ["pagerduty-critical", "slack-critical"] : ["slack-warnings"] }
}

/// A scenario as `agent-telemetry demo --scenario list` prints it.
struct ListedScenario: Sendable {
    var name: String
    var alerts: [String]
    var inhibited: [String]

    /// Parses the listing: a line per scenario starting with its name, then an indented
    /// `fires: A, B (inhibits: C)` line; a last `not played by any scenario: ...` line.
    static func parse(_ listing: String) -> (scenarios: [ListedScenario], unplayed: [String]) {
        var scenarios: [ListedScenario] = []
        var unplayed: [String] = []
        for line in listing.split(separator: "\n") {
            if line.hasPrefix("not played by any scenario:") {
                unplayed = line.dropFirst("not played by any scenario:".count).split(separator: ";").compactMap {
                    $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init)
                }
            } else if !line.hasPrefix(" "), let name = line.split(separator: " ").first {
                scenarios.append(ListedScenario(name: String(name), alerts: [], inhibited: []))
            } else if let fires = line.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).last,
                      line.trimmingCharacters(in: .whitespaces).hasPrefix("fires:"), !scenarios.isEmpty {
                let parts = fires.components(separatedBy: "(inhibits:")
                func names(_ s: String) -> [String] {
                    s.replacingOccurrences(of: ")", with: "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
                scenarios[scenarios.count - 1].alerts = names(parts[0])
                if parts.count > 1 { scenarios[scenarios.count - 1].inhibited = names(parts[1]) }
            }
        }
        return (scenarios, unplayed)
    }
}

/// One end-to-end set-up: the demo (with scenarios) serving /metrics, a real Prometheus with the
/// shipped rules in the accelerated profile, a real Alertmanager with the shipped configuration
/// delivering to a `WebhookRecorder`. Every process is killed by `stop()`.
final class AlertRig: @unchecked Sendable {
    static let alertmanagerBinary = Peers.which("prometheus-alertmanager") ?? Peers.which("alertmanager")

    let directory: URL
    let factor: Int
    let webhook: WebhookRecorder
    let alertmanager = Process()
    let alertmanagerPort: Int
    let demoPort: Int
    let executable: URL
    let rate: Int
    private(set) var demo: DemoReplica
    /// When the demo was started: its scenario clock starts at or after this moment, so
    /// `demoStarted + scenarioStart + scenarioDuration` is no later than the incident's real end.
    let demoStarted: Date
    /// The demo's configuration file (`AlertProfiles.demoConfiguration`).
    let demoConfig: String
    private(set) var prometheus: PrometheusProcess?

    /// Starts everything and waits (bounded) until each process answers. `scenarioStart` and
    /// `scenarioDuration` are wall-clock seconds.
    init(scenarios: [String], scenarioStart: Double, scenarioDuration: Double, factor: Int = AlertProfiles.defaultFactor, rate: Int = AlertProfiles.testRate) async throws {
        self.factor = factor
        self.rate = rate
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        webhook = try WebhookRecorder()
        guard let executable = DemoReplica.executable, let amBinary = Self.alertmanagerBinary else {
            throw AlertProfiles.ProfileError(message: "agent-telemetry or alertmanager not found")
        }
        self.executable = executable

        // Alertmanager: the shipped file, receivers pointed at the webhook, timers accelerated.
        let shipped = try String(contentsOfFile: AssetTools.path("configs/alertmanager/alertmanager.yml"), encoding: .utf8)
        let amConfig = directory.appendingPathComponent("alertmanager.yml")
        try AlertProfiles.webhookAlertmanagerConfig(
            shipped, webhookBase: "http://127.0.0.1:\(webhook.port)",
            templatesDirectory: AssetTools.path("configs/alertmanager/templates"), factor: factor)
            .write(to: amConfig, atomically: true, encoding: .utf8)
        alertmanagerPort = try FreePort.find()
        alertmanager.executableURL = URL(fileURLWithPath: amBinary)
        alertmanager.arguments = ["--config.file=\(amConfig.path)", "--storage.path=\(directory.appendingPathComponent("am-data").path)",
                                  "--web.listen-address=127.0.0.1:\(alertmanagerPort)", "--cluster.listen-address=", "--log.level=warn"]
        let amLog = directory.appendingPathComponent("alertmanager.log")
        _ = FileManager.default.createFile(atPath: amLog.path, contents: nil)
        let amHandle = try FileHandle(forWritingTo: amLog)
        alertmanager.standardOutput = amHandle
        alertmanager.standardError = amHandle
        try alertmanager.run()

        // The demo, with the scenarios; Prometheus starts once it serves /metrics, so that its
        // first scrape does not count as the target being down.
        demoPort = try FreePort.find()
        let demoConfig = directory.appendingPathComponent("demo.yaml")
        try AlertProfiles.demoConfiguration.write(to: demoConfig, atomically: true, encoding: .utf8)
        self.demoConfig = demoConfig.path
        var arguments: [String] = ["--config", demoConfig.path]
        for s in scenarios { arguments += ["--scenario", s] }
        if !scenarios.isEmpty { arguments += ["--scenario-start", String(scenarioStart), "--scenario-duration", String(scenarioDuration)] }
        demoStarted = Date()
        demo = try DemoReplica(executable: executable, port: demoPort, rate: rate, seed: 42, arguments: arguments)

        let base = "http://127.0.0.1:\(alertmanagerPort)"
        let amReady = await eventually(timeout: .seconds(60), every: .milliseconds(200)) { (try? await get(base + "/-/ready").status) == 200 }
        let demoURL = demo.metricsURL
        let demoReady = await eventually(timeout: .seconds(60), every: .milliseconds(200)) { (try? await get(demoURL).status) == 200 }
        guard amReady, demoReady else {
            let why = "alertmanager ready: \(amReady), demo ready: \(demoReady)\n" + ((try? String(contentsOf: amLog, encoding: .utf8)) ?? "") + demo.log()
            stop()
            throw AlertProfiles.ProfileError(message: why)
        }

        // Prometheus: the shipped recording and alerting rules, accelerated, in the temp dir.
        var ruleFiles: [String] = []
        for name in ["recording_rules.yml", "alerting_rules.yml"] {
            let text = try String(contentsOfFile: AssetTools.path("configs/prometheus/\(name)"), encoding: .utf8)
            let url = directory.appendingPathComponent(name)
            try AlertProfiles.acceleratedRules(text, factor: factor).write(to: url, atomically: true, encoding: .utf8)
            ruleFiles.append(url.path)
        }
        let amPort = alertmanagerPort, target = "127.0.0.1:\(demoPort)"
        prometheus = try PrometheusProcess { _ in
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files:
            \(ruleFiles.map { "  - '\($0)'" }.joined(separator: "\n"))
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ['127.0.0.1:\(amPort)']
            scrape_configs:
              - job_name: agent
                static_configs:
                  - targets: ['\(target)']
                    labels:
                      service: agent-telemetry-demo
                      deployment_environment: demo
            """
        }
        guard let prometheus else { return }
        let promReady = await eventually(timeout: .seconds(60), every: .milliseconds(200)) {
            (try? await prometheus.query("up{job=\"agent\"}")) == 1
        }
        guard promReady else {
            let why = "Prometheus did not scrape the demo: " + prometheus.log()
            stop()
            throw AlertProfiles.ProfileError(message: why)
        }
    }

    /// Starts the demo again on the same port without scenarios (what a supervisor does after a crash).
    func restartDemo() throws {
        demo.stop()
        demo = try DemoReplica(executable: executable, port: demoPort, rate: rate, seed: 43, arguments: ["--config", demoConfig])
    }

    /// The alerts Prometheus holds as firing.
    func firing() async throws -> Set<String> {
        guard let prometheus else { return [] }
        let result = try await prometheus.api("/api/v1/query", ["query": "ALERTS{alertstate=\"firing\"}"])
        return Set(result.compactMap { ($0["metric"] as? [String: String])?["alertname"] })
    }

    /// Alertmanager's view: "alertname" → state (active, suppressed), for alerts it holds.
    func alertmanagerStates() async throws -> [String: String] {
        let body = try await get("http://127.0.0.1:\(alertmanagerPort)/api/v2/alerts").body
        let list = try JSONSerialization.jsonObject(with: body) as? [[String: Any]] ?? []
        var out: [String: String] = [:]
        for alert in list {
            let labels = alert["labels"] as? [String: String] ?? [:]
            let status = alert["status"] as? [String: Any] ?? [:]
            if let name = labels["alertname"], let state = status["state"] as? String { out[name] = state }
        }
        return out
    }

    func logs() -> String {
        let am = (try? String(contentsOf: directory.appendingPathComponent("alertmanager.log"), encoding: .utf8)) ?? ""
        return "--- demo\n\(demo.log())\n--- prometheus\n\(prometheus?.log() ?? "")\n--- alertmanager\n\(am)"
    }

    func stop() {
        demo.stop()
        prometheus?.stop()
        if alertmanager.isRunning {
            // SIGKILL: the test runner's blocked-signal mask is inherited and would make SIGTERM wait.
            kill(alertmanager.processIdentifier, SIGKILL)
        }
        let alertmanager = self.alertmanager, directory = self.directory
        Thread.detachNewThread {
            alertmanager.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
        webhook.stop()
    }
}

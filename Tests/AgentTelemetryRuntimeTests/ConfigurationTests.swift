import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryStatsD
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryRuntime

@Suite("Configuration errors name the key and the line")
struct ConfigurationErrorTests {
    func problems(_ yaml: String, env: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, source: "agent.yaml", environment: env)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test("an unknown key gets a did-you-mean and its line")
    func unknownKey() {
        let p = problems("exporters:\n  prometheus:\n    prot: 9100\n")
        #expect(p == ["exporters.prometheus.prot: unknown key \"prot\"; did you mean \"port\"? (agent.yaml:3)"])
    }

    @Test("an unknown top-level section lists nearby keys")
    func unknownSection() {
        let p = problems("exporter:\n  otlp: {}\n")
        #expect(p.first?.contains("did you mean \"exporters\"") == true)
        #expect(p.first?.hasSuffix("(agent.yaml:1)") == true)
    }

    @Test("a wrong type names the key, what was expected and the line")
    func wrongType() {
        let p = problems("bus:\n  capacity: 100\n  subscriber_capacity: lots\n")
        #expect(p.count == 1)
        #expect(p.first?.hasPrefix("bus.subscriber_capacity: expected an integer, found \"lots\"") == true)
        #expect(p.first?.hasSuffix("(agent.yaml:3)") == true)
    }

    @Test("out-of-range values are refused with the range")
    func outOfRange() {
        let p = problems("exporters:\n  prometheus:\n    port: 70000\n  statsd:\n    sample_rate: 2\n")
        #expect(p.contains { $0.hasPrefix("exporters.prometheus.port: 70000 is not between 0 and 65535") && $0.hasSuffix("(agent.yaml:3)") })
        #expect(p.contains { $0.hasPrefix("exporters.statsd.sample_rate: 2.0 is not in (0, 1]") && $0.hasSuffix("(agent.yaml:5)") })
    }

    @Test("invalid URLs are refused")
    func invalidURL() {
        let p = problems("exporters:\n  otlp:\n    endpoint: ftp://collector:4318\n")
        #expect(p == ["exporters.otlp.endpoint: \"ftp://collector:4318\" must use http or https (agent.yaml:3)"])
    }

    @Test("enumerations list their choices")
    func enumerations() {
        let p = problems("bus:\n  overflow_policy: drop_all\nexporters:\n  otlp:\n    temporality: monthly\n")
        #expect(p.contains("bus.overflow_policy: \"drop_all\" is not one of drop_oldest, drop_newest (agent.yaml:2)"))
        #expect(p.contains("exporters.otlp.temporality: \"monthly\" is not one of cumulative, delta (agent.yaml:5)"))
    }

    @Test("bad durations, bucket overrides and categories are explained")
    func durationsBucketsCategories() {
        let p = problems("metrics:\n  session_idle_timeout: soon\n")
        #expect(p.first?.contains("\"soon\" is not a duration") == true)
        let q = problems("metrics:\n  buckets:\n    tool_execution_duration_seconds: [1, 0.5]\n  categories:\n    verticalz: false\n")
        #expect(q.contains { $0.hasPrefix("metrics.buckets.tool_execution_duration_seconds: boundaries must be strictly increasing") })
        #expect(q.contains { $0.hasPrefix("metrics.categories.verticalz: unknown category \"verticalz\"; did you mean \"verticals\"?") })
    }

    @Test("malformed YAML is one clear error")
    func malformedYAML() {
        let p = problems("exporters:\n  prometheus: [unclosed\n")
        #expect(p.count == 1)
        #expect(p.first?.hasPrefix("not valid YAML") == true)
    }

    @Test("a missing file is a clear error naming it")
    func missingFile() {
        #expect { try ConfigurationLoader.load(path: "/nonexistent/agent.yaml", environment: [:]) } throws: { error in
            String(describing: error).contains("/nonexistent/agent.yaml") && String(describing: error).contains("cannot read")
        }
    }

    @Test("a bad environment value names the variable")
    func badEnvironmentValue() {
        let p = problems("", env: ["AGENT_TELEMETRY_PROMETHEUS_PORT": "ninety"])
        #expect(p == ["exporters.prometheus.port: expected an integer, found \"ninety\" (environment variable AGENT_TELEMETRY_PROMETHEUS_PORT)"])
        let q = problems("", env: ["AGENT_TELEMETRY_PROMETEHUS_PORT": "9100"])
        #expect(q.first?.contains("did you mean AGENT_TELEMETRY_PROMETHEUS_PORT?") == true)
    }

    @Test("every problem is reported, not just the first")
    func allProblems() {
        let p = problems("metrics:\n  cardinality_limit: 0\nbus:\n  capacity: 1\n")
        #expect(p.count == 2)
    }
}

@Suite("Environment precedence")
struct EnvironmentTests {
    let file = """
    service:
      name: from-file
    exporters:
      prometheus:
        port: 9100
      otlp:
        enabled: true
        endpoint: http://file:4318
        interval: 30s
    """

    @Test("AGENT_TELEMETRY_* beats OTEL_* beats the file beats defaults")
    func precedence() throws {
        let c = try ConfigurationLoader.load(yaml: file, source: "f", environment: [
            "AGENT_TELEMETRY_PROMETHEUS_PORT": "9200",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318",
            "AGENT_TELEMETRY_OTLP_ENDPOINT": "http://ours:4318",
            "OTEL_SERVICE_NAME": "from-otel",
            "OTEL_METRIC_EXPORT_INTERVAL": "5000",
        ])
        #expect(c.prometheus?.port == 9200)
        #expect(c.otlp?.endpoint == "http://ours:4318")
        #expect(c.service.name == "from-otel")
        #expect(c.otlp?.exportInterval == .seconds(5))
        #expect(c.telemetry.bus.capacity == 65_536, "defaults fill what nobody set")
    }

    @Test("the OpenTelemetry variables are honoured")
    func openTelemetryVariables() throws {
        let c = try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=attr-name,deployment.environment=prod,team=ml%20ops",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "https://collector.example.com/custom/v1/metrics",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=secret,x-tenant=acme",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "delta",
        ])
        #expect(c.service.name == "attr-name")
        #expect(c.service.attributes == ["deployment.environment": "prod", "team": "ml ops"])
        let o = try #require(c.otlp, "an OTLP endpoint in the environment enables the exporter")
        #expect(o.metricsEndpoint == "https://collector.example.com/custom/v1/metrics")
        #expect(o.headers == ["api-key": "secret", "x-tenant": "acme"])
        #expect(o.compression == .none)
        #expect(o.timeout == .milliseconds(2500))
        #expect(o.temporality == .delta)
        #expect(o.serviceName == "attr-name")
        #expect(o.resourceAttributes["team"] == "ml ops")
    }

    @Test("OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES")
    func serviceNamePrecedence() throws {
        let c = try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "OTEL_RESOURCE_ATTRIBUTES": "service.name=attr", "OTEL_SERVICE_NAME": "explicit",
        ])
        #expect(c.service.name == "explicit")
    }

    @Test("secrets come from files and are never printed")
    func secrets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "t0ken-value\n".write(to: dir.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "Authorization: Bearer hdr-secret\n".write(to: dir.appendingPathComponent("headers"), atomically: true, encoding: .utf8)
        let yaml = """
        exporters:
          prometheus:
            auth:
              type: bearer
              token_file: \(dir.appendingPathComponent("token").path)
          otlp:
            headers_file: \(dir.appendingPathComponent("headers").path)
        """
        let c = try ConfigurationLoader.load(yaml: yaml, source: "f", environment: [:])
        #expect(c.prometheus?.authentication == .bearer(token: "t0ken-value"))
        #expect(c.otlp?.headers == ["Authorization": "Bearer hdr-secret"])
        let printed = EffectiveConfiguration.render(c)
        #expect(!printed.contains("t0ken-value"))
        #expect(!printed.contains("hdr-secret"))
        #expect(printed.contains("token: \"***\""))
    }

    @Test("the documented example configuration loads and means what it says")
    func exampleConfig() throws {
        let c = try ConfigurationLoader.load(path: repositoryRoot.appendingPathComponent("configs/agent-telemetry.yaml").path, environment: [:])
        #expect(c.service.name == "support-agent")
        #expect(c.prometheus?.port == 9091)
        #expect(c.otlp == nil)
        #expect(c.statsd == nil)
        #expect(c.telemetry.standardMetrics.priceOverrides["openai/gpt-4o"] == ModelRates(input: 2.5, output: 10, cacheRead: 1.25))
        // Without price_table, the built-in dated table; its own prices stand where no override does.
        #expect(c.telemetry.standardMetrics.priceSchedule.effectiveDate == "2025-12-01")
        #expect(c.telemetry.standardMetrics.effectivePrices.rates(provider: "openai", model: "gpt-4o-mini")?.input == 0.15)
        #expect(c.telemetry.standardMetrics.bucketOverrides["tool_execution_duration_seconds"] == [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30])
    }

    @Test("every documented scalar key has an environment variable following one rule")
    func environmentNames() {
        let names = Array(AgentTelemetryEnvironment.variables.keys)
        #expect(names.contains("AGENT_TELEMETRY_PROMETHEUS_PORT"))
        #expect(names.contains("AGENT_TELEMETRY_OTLP_ENDPOINT"))
        #expect(names.contains("AGENT_TELEMETRY_BUS_OVERFLOW_POLICY"))
        #expect(names.contains("AGENT_TELEMETRY_STATSD_MAX_PACKET_SIZE"))
        #expect(Set(names).count == names.count)
        for (name, path) in AgentTelemetryEnvironment.variables {
            #expect(name == AgentTelemetryEnvironment.variableName(for: path))
        }
    }

    @Test("OTEL_METRICS_EXPORTER decides; otherwise an explicit enabled: false beats an endpoint variable")
    func otlpEnabling() throws {
        let off = "exporters:\n  otlp:\n    enabled: false\n"
        #expect(try ConfigurationLoader.load(yaml: off, source: "f", environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).otlp == nil)
        #expect(try ConfigurationLoader.load(yaml: off, source: "f", environment: ["OTEL_METRICS_EXPORTER": "otlp"]).otlp != nil)
        #expect(try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_METRICS_EXPORTER": "none"]).otlp == nil)
        #expect(try ConfigurationLoader.load(yaml: "", source: "f", environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).otlp?.endpoint == "http://c:4318")
    }

    @Test("secret files with CRLF line endings are read correctly")
    func crlfSecrets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("crlf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("tok\r\n".utf8).write(to: dir.appendingPathComponent("token"))
        try Data("A: 1\r\nB: 2\r\n".utf8).write(to: dir.appendingPathComponent("headers"))
        let yaml = "exporters:\n  prometheus:\n    auth: {token_file: \(dir.appendingPathComponent("token").path)}\n  otlp:\n    headers_file: \(dir.appendingPathComponent("headers").path)\n"
        let c = try ConfigurationLoader.load(yaml: yaml, source: "f", environment: [:])
        #expect(c.prometheus?.authentication == .bearer(token: "tok"))
        #expect(c.otlp?.headers == ["A": "1", "B": "2"])
    }

    @Test("absurdly long durations are a configuration error, not a crash")
    func hugeDurations() {
        #expect(ConfigDuration(parsing: "1e12h") == nil)
        #expect(ConfigDuration(parsing: "400d") == nil)
        #expect { try ConfigurationLoader.load(yaml: "exporters:\n  otlp:\n    interval: 1e10\n", source: "f", environment: [:]) } throws: {
            String(describing: $0).contains("exporters.otlp.interval") && String(describing: $0).contains("one year")
        }
        #expect { try ConfigurationLoader.load(yaml: "", source: "f", environment: ["OTEL_METRIC_EXPORT_INTERVAL": "1e20"]) } throws: {
            String(describing: $0).contains("OTEL_METRIC_EXPORT_INTERVAL")
        }
    }

    @Test("durations parse in every documented spelling")
    func durations() {
        #expect(ConfigDuration(parsing: "250ms")?.duration == .milliseconds(250))
        #expect(ConfigDuration(parsing: "15s")?.duration == .seconds(15))
        #expect(ConfigDuration(parsing: "5m")?.duration == .seconds(300))
        #expect(ConfigDuration(parsing: "1h")?.duration == .seconds(3600))
        #expect(ConfigDuration(parsing: "2.5")?.duration == .milliseconds(2500))
        #expect(ConfigDuration(parsing: "-1s") == nil)
        #expect(ConfigDuration(parsing: "soon") == nil)
    }
}

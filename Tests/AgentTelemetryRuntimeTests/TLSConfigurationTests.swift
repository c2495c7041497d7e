import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryRuntime

/// The `tls` sections in the one configuration model: the file, the environment
/// (`AGENT_TELEMETRY_*`, the standard `OTEL_*` certificate variables), the printed configuration
/// and `check-config`.
@Suite("Configuration: TLS", .serialized, .enabled(if: Peers.available(TestCertificates.openssl, "openssl")))
struct TLSConfigurationTests {
    /// A CA, a server pair and a client pair, plus a key that belongs to neither certificate.
    static func pki() async throws -> (TestCertificates, TestCertificates.Authority, TestCertificates.Pair, TestCertificates.Pair) {
        let pki = try TestCertificates()
        let ca = try await pki.authority("ca")
        let server = try await pki.issue("server", by: ca, for: .server)
        let client = try await pki.issue("client", by: ca, for: .client)
        return (pki, ca, server, client)
    }

    @Test("exporters.prometheus.tls is read from the file; client_auth defaults to require with a client CA")
    func prometheusFromFile() async throws {
        let (pki, ca, server, _) = try await Self.pki()
        defer { pki.remove() }
        let c = try ConfigurationLoader.load(yaml: """
            exporters:
              prometheus:
                tls:
                  cert_file: \(server.certificate)
                  key_file: \(server.key)
                  client_ca_file: \(ca.certificate)
                  min_version: 1.3
                  reload_interval: 5s
            """, source: "f")
        let tls = try #require(c.prometheus?.tls)
        #expect(tls.certificateFile == server.certificate)
        #expect(tls.clientAuthentication == .require)
        #expect(tls.minimumVersion == .tls13)
        #expect(tls.reloadInterval == .seconds(5))
    }

    @Test("a key that is not the certificate's is a configuration error at tls.key_file with its line, naming paths only")
    func mismatchedKey() async throws {
        let (pki, _, server, client) = try await Self.pki()
        defer { pki.remove() }
        let yaml = "exporters:\n  prometheus:\n    tls:\n      cert_file: \(server.certificate)\n      key_file: \(client.key)\n"
        #expect { try ConfigurationLoader.load(yaml: yaml, source: "agent.yaml") } throws: { error in
            let text = "\(error)"
            return text.contains("exporters.prometheus.tls.key_file: \"\(client.key)\" is not the private key of the certificate in \"\(server.certificate)\" (agent.yaml:5)")
                && !text.contains("BEGIN")
        }
    }

    @Test("client_auth: require without client_ca_file, a missing file and an unknown min_version are all reported")
    func everyTLSProblem() async throws {
        let yaml = """
            exporters:
              prometheus:
                tls:
                  cert_file: /nonexistent/server.pem
                  key_file: /nonexistent/server.key
                  client_auth: require
                  min_version: "1.1"
            """
        #expect { try ConfigurationLoader.load(yaml: yaml, source: "f") } throws: { error in
            let text = "\(error)"
            return text.contains("exporters.prometheus.tls.cert_file: \"/nonexistent/server.pem\" cannot be read")
                && text.contains("exporters.prometheus.tls.key_file: \"/nonexistent/server.key\" cannot be read")
                && text.contains("exporters.prometheus.tls.client_ca_file: is required with client_auth: require")
                && text.contains("exporters.prometheus.tls.min_version: \"1.1\" is not one of 1.2, 1.3")
        }
    }

    @Test("AGENT_TELEMETRY_PROMETHEUS_TLS_* and AGENT_TELEMETRY_OTLP_TLS_* variables exist and apply")
    func agentTelemetryVariables() async throws {
        let (pki, ca, server, client) = try await Self.pki()
        defer { pki.remove() }
        for name in ["AGENT_TELEMETRY_PROMETHEUS_TLS_CERT_FILE", "AGENT_TELEMETRY_PROMETHEUS_TLS_KEY_FILE",
                     "AGENT_TELEMETRY_PROMETHEUS_TLS_CLIENT_CA_FILE", "AGENT_TELEMETRY_PROMETHEUS_TLS_CLIENT_AUTH",
                     "AGENT_TELEMETRY_PROMETHEUS_TLS_MIN_VERSION", "AGENT_TELEMETRY_PROMETHEUS_TLS_RELOAD_INTERVAL",
                     "AGENT_TELEMETRY_OTLP_TLS_CA_FILE", "AGENT_TELEMETRY_OTLP_TLS_CERT_FILE",
                     "AGENT_TELEMETRY_OTLP_TLS_KEY_FILE", "AGENT_TELEMETRY_OTLP_TLS_INSECURE_SKIP_VERIFY"] {
            #expect(AgentTelemetryEnvironment.variables[name] != nil, "\(name)")
        }
        let c = try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "AGENT_TELEMETRY_PROMETHEUS_TLS_CERT_FILE": server.certificate,
            "AGENT_TELEMETRY_PROMETHEUS_TLS_KEY_FILE": server.key,
            "AGENT_TELEMETRY_OTLP_ENABLED": "true",
            "AGENT_TELEMETRY_OTLP_ENDPOINT": "https://collector:4318",
            "AGENT_TELEMETRY_OTLP_TLS_CA_FILE": ca.certificate,
            "AGENT_TELEMETRY_OTLP_TLS_CERT_FILE": client.certificate,
            "AGENT_TELEMETRY_OTLP_TLS_KEY_FILE": client.key,
        ])
        #expect(c.prometheus?.tls?.keyFile == server.key)
        #expect(c.prometheus?.tls?.clientAuthentication == PrometheusTLSConfiguration.ClientAuthentication.none)
        #expect(c.otlp?.tls == OTLPTLSConfiguration(caFile: ca.certificate, certificateFile: client.certificate, keyFile: client.key))
    }

    @Test("OTEL_EXPORTER_OTLP_CERTIFICATE, _CLIENT_CERTIFICATE and _CLIENT_KEY set exporters.otlp.tls; the METRICS_ variants win")
    func openTelemetryVariables() async throws {
        let (pki, ca, _, client) = try await Self.pki()
        defer { pki.remove() }
        let other = try await pki.issue("other", by: ca, for: .client)
        let c = try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318",
            "OTEL_EXPORTER_OTLP_CERTIFICATE": "/general/ca.pem",
            "OTEL_EXPORTER_OTLP_METRICS_CERTIFICATE": ca.certificate,
            "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": other.certificate,
            "OTEL_EXPORTER_OTLP_CLIENT_KEY": other.key,
            "OTEL_EXPORTER_OTLP_METRICS_CLIENT_CERTIFICATE": client.certificate,
            "OTEL_EXPORTER_OTLP_METRICS_CLIENT_KEY": client.key,
        ])
        #expect(c.otlp?.tls == OTLPTLSConfiguration(caFile: ca.certificate, certificateFile: client.certificate, keyFile: client.key))

        let general = try ConfigurationLoader.load(yaml: "", source: "f", environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318",
            "OTEL_EXPORTER_OTLP_CERTIFICATE": ca.certificate,
        ])
        #expect(general.otlp?.tls?.caFile == ca.certificate)
    }

    @Test("an unreadable OTEL_EXPORTER_OTLP_CLIENT_KEY is an error naming the variable")
    func unreadableVariableFile() async throws {
        let (pki, _, _, client) = try await Self.pki()
        defer { pki.remove() }
        #expect {
            try ConfigurationLoader.load(yaml: "", source: "f", environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318",
                "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": client.certificate,
                "OTEL_EXPORTER_OTLP_CLIENT_KEY": pki.path("missing.key"),
            ])
        } throws: { error in
            "\(error)".contains("exporters.otlp.tls.key_file: \"\(pki.path("missing.key"))\" cannot be read")
                && "\(error)".contains("OTEL_EXPORTER_OTLP_CLIENT_KEY")
        }
    }

    @Test("the printed configuration shows the TLS paths and never the files' contents")
    func printed() async throws {
        let (pki, ca, server, client) = try await Self.pki()
        defer { pki.remove() }
        let c = try ConfigurationLoader.load(yaml: """
            exporters:
              prometheus:
                tls: {cert_file: \(server.certificate), key_file: \(server.key)}
              otlp:
                endpoint: https://collector:4318
                tls: {ca_file: \(ca.certificate), cert_file: \(client.certificate), key_file: \(client.key)}
            """, source: "f")
        let printed = EffectiveConfiguration.render(c)
        #expect(printed.contains(server.key))
        #expect(printed.contains(client.key))
        #expect(printed.contains("client_auth: \"none\""))
        #expect(printed.contains("insecure_skip_verify: false"))
        #expect(!printed.contains("BEGIN"))
        // What is printed loads again to the same settings.
        let again = try ConfigurationLoader.load(yaml: printed, source: "printed")
        #expect(again.prometheus?.tls == c.prometheus?.tls)
        #expect(again.otlp?.tls == c.otlp?.tls)
    }

    @Test("check-config rejects a key that does not match its certificate with exit 2, printing paths only",
          .enabled(if: CommandTests.executable != nil), .timeLimit(.minutes(5)))
    func checkConfigRejectsMismatchedKey() async throws {
        let (pki, ca, server, client) = try await Self.pki()
        defer { pki.remove() }
        let path = pki.path("agent.yaml")
        try """
            exporters:
              otlp:
                endpoint: https://collector:4318
                tls:
                  ca_file: \(ca.certificate)
                  cert_file: \(client.certificate)
                  key_file: \(server.key)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let (status, output) = try await CheckConfigConfigurationTests.run(["check-config", path])
        #expect(status == 2, "\(output)")
        #expect(output.contains("exporters.otlp.tls.key_file: \"\(server.key)\" is not the private key of the certificate in \"\(client.certificate)\""))
        #expect(!output.contains("PRIVATE KEY"))

        let good = pki.path("good.yaml")
        try """
            exporters:
              prometheus:
                tls: {cert_file: \(server.certificate), key_file: \(server.key), client_ca_file: \(ca.certificate)}
              otlp:
                endpoint: https://collector:4318
                tls: {ca_file: \(ca.certificate), cert_file: \(client.certificate), key_file: \(client.key)}
            """.write(toFile: good, atomically: true, encoding: .utf8)
        let (goodStatus, goodOutput) = try await CheckConfigConfigurationTests.run(["check-config", good])
        #expect(goodStatus == 0, "\(goodOutput)")
    }
}

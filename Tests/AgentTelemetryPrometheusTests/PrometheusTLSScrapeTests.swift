import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryPrometheus

/// A real Prometheus server scrapes the endpoint with `scheme: https` and `tls_config`; the test
/// reads `up` per job from it.
@Suite("Scraped over TLS by a real Prometheus server", .serialized,
       .enabled(if: Peers.available(Peers.prometheus, "prometheus") && Peers.available(TestCertificates.openssl, "openssl")),
       .timeLimit(.minutes(3)))
struct PrometheusTLSScrapeTests {
    static func registry() throws -> MetricRegistry {
        let r = MetricRegistry()
        try r.counter("agent_requests_total", help: "Requests.", labelNames: ["status"]).labels(["200"]).increment(by: 7)
        return r
    }

    /// A scrape job of `target` over https with the given `tls_config` entries.
    static func job(_ name: String, port: Int, _ tls: [String: String]) -> String {
        """
          - job_name: \(name)
            scheme: https
            tls_config:
        \(tls.sorted { $0.key < $1.key }.map { "      \($0.key): '\($0.value)'" }.joined(separator: "\n"))
            static_configs:
              - targets: ['127.0.0.1:\(port)']
        """
    }

    static func prometheus(_ jobs: [String]) throws -> PrometheusProcess {
        try PrometheusProcess { _ in
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
            \(jobs.joined(separator: "\n"))
            """
        }
    }

    /// `up` of `job` once Prometheus has scraped it at least once.
    static func up(_ server: PrometheusProcess, job: String) async -> Double? {
        await server.settledQuery("up{job=\"\(job)\"}")
    }

    /// `up` of `job` once it is 1, or the last value seen after 60 s. A scrape that should succeed
    /// may still time out once on a busy machine (1 s scrape timeout, a TLS handshake in it), so
    /// it is judged by whether Prometheus gets to 1, not by its first scrape.
    static func upBecomesOne(_ server: PrometheusProcess, job: String) async -> Double? {
        var value: Double?
        _ = await eventually(timeout: .seconds(60), every: .milliseconds(250)) {
            value = try? await server.query("up{job=\"\(job)\"}")
            return value == 1
        }
        return value
    }

    @Test("up is 1 with the private CA (server_name localhost); an expired certificate or a wrong CA makes the scrape fail")
    func scrapeOverTLS() async throws {
        let pki = try TestCertificates()
        defer { pki.remove() }
        let ca = try await pki.authority("ca")
        let otherCA = try await pki.authority("other-ca")
        let server = try await pki.issue("server", by: ca, for: .server)
        let expired = try await pki.issue("expired", by: ca, for: .server, expired: true)
        let registry = try Self.registry()
        let good = PrometheusExporterConfiguration(port: 0, tls: .init(certificateFile: server.certificate, keyFile: server.key))
        let stale = PrometheusExporterConfiguration(port: 0, tls: .init(certificateFile: expired.certificate, keyFile: expired.key))
        try await withTLSExporter(registry: registry, configuration: good, logger: LogCapture().logger()) { _, goodPort in
            let staleLogs = LogCapture()
            try await withTLSExporter(registry: registry, configuration: stale, logger: staleLogs.logger()) { _, stalePort in
                #expect(staleLogs.warnings.contains { $0.message.contains("certificate has expired") })
                let server = try Self.prometheus([
                    Self.job("tls", port: goodPort, ["ca_file": ca.certificate, "server_name": "localhost"]),
                    Self.job("wrong_ca", port: goodPort, ["ca_file": otherCA.certificate, "server_name": "localhost"]),
                    Self.job("expired", port: stalePort, ["ca_file": ca.certificate, "server_name": "localhost"]),
                ])
                defer { server.stop() }
                #expect(await Self.upBecomesOne(server, job: "tls") == 1, "log: \(server.log())")
                #expect(await Self.up(server, job: "wrong_ca") == 0)
                #expect(await Self.up(server, job: "expired") == 0)
                // Polled: a later scrape that timed out under load leaves the series stale.
                let value = await server.settledQuery("agent_requests_total{job=\"tls\"}")
                #expect(value == 7)
            }
        }
    }

    @Test("with client certificates required, up is 1 only for the job that presents one; the refusal is logged")
    func scrapeOverMutualTLS() async throws {
        let pki = try TestCertificates()
        defer { pki.remove() }
        let ca = try await pki.authority("ca")
        let server = try await pki.issue("server", by: ca, for: .server)
        let client = try await pki.issue("prometheus", by: ca, for: .client)
        let registry = try Self.registry()
        let logs = LogCapture()
        let configuration = PrometheusExporterConfiguration(
            port: 0, tls: .init(certificateFile: server.certificate, keyFile: server.key, clientCAFile: ca.certificate,
                                clientAuthentication: .require))
        try await withTLSExporter(registry: registry, configuration: configuration, logger: logs.logger()) { _, port in
            let server = try Self.prometheus([
                Self.job("with_certificate", port: port,
                         ["ca_file": ca.certificate, "cert_file": client.certificate, "key_file": client.key, "server_name": "localhost"]),
                Self.job("without_certificate", port: port, ["ca_file": ca.certificate, "server_name": "localhost"]),
            ])
            defer { server.stop() }
            #expect(await Self.upBecomesOne(server, job: "with_certificate") == 1, "log: \(server.log())")
            #expect(await Self.up(server, job: "without_certificate") == 0)
            #expect(registry.counter(PrometheusExporter.handshakeFailuresMetric).series.value >= 1)
            #expect(logs.warnings.contains { $0.message.contains("TLS handshake failed") })
        }
    }
}

import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryTestSupport
import Foundation
import Testing

/// The OTLP exporter against HTTPS receivers that trust only a private CA, decoded by the
/// official opentelemetry-proto classes; certificates made by `openssl` per test.
@Suite("OTLP over TLS and mutual TLS", .serialized,
       .enabled(if: OTLPReceiver.available && Peers.available(TestCertificates.openssl, "openssl")),
       .timeLimit(.minutes(5)))
struct OTLPTLSTests {
    static func registry() throws -> MetricRegistry {
        let r = MetricRegistry()
        try r.counter("agent_tool_calls_total", help: "Tool calls.", labelNames: ["tool"]).increment(by: 3, labels: ["search"])
        return r
    }

    static func configuration(_ receiver: OTLPReceiver, tls: OTLPTLSConfiguration?) -> OTLPExporterConfiguration {
        // 120 s bounds a delivery the Python receiver must answer while the suite loads the
        // machine (3 s ran out in a loaded run); refusals are judged by progress, below.
        OTLPExporterConfiguration(endpoint: receiver.endpoint, timeout: .seconds(120), connectTimeout: .seconds(2),
                                  initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(100), tls: tls)
    }

    static func delivered(_ receiver: OTLPReceiver) async throws -> Double? {
        let requests = Decoded.acceptedRequests(await receiver.waitForRecords(1))
        let metric = try Decoded.requiredMetric("agent_tool_calls", in: requests)
        return Decoded.double(try Decoded.requiredPoint(metric, ["tool": "search"]), "as_double")
    }

    /// A CA and an HTTPS receiver serving a certificate it signed, requiring client certificates
    /// from it when asked.
    static func collector(requiringClientCertificates: Bool) async throws -> (TestCertificates, TestCertificates.Authority, OTLPReceiver) {
        let pki = try TestCertificates()
        let ca = try await pki.authority("ca")
        let server = try await pki.issue("collector", by: ca, for: .server)
        let receiver = try await OTLPReceiver(tls: (server.certificate, server.key, requiringClientCertificates ? ca.certificate : nil))
        return (pki, ca, receiver)
    }

    /// An export with `tls` fails, nothing is accepted, and the log explains it with `logSays`.
    /// Judged by progress: the export (600 s bound) is cancelled once the explanation is logged,
    /// so a handshake slowed by a loaded machine cannot use up a short export timeout first.
    static func expectRefused(_ receiver: OTLPReceiver, registry: MetricRegistry, tls: OTLPTLSConfiguration?, logSays: String) async throws {
        let logs = LogCapture()
        var c = configuration(receiver, tls: tls)
        c.timeout = .seconds(600)
        let exporter = try OTLPExporter(registry: registry, configuration: c, logger: logs.logger())
        let explained = await cancelling({ _ = try? await exporter.forceFlush() }, once: { logs.text.contains(logSays) })
        #expect(explained, "\(logs.text)")
        #expect(Decoded.acceptedRequests(receiver.records()).isEmpty)
    }

    @Test("delivers to a TLS receiver that only the private CA (ca_file) vouches for; without it the export fails")
    func privateCA() async throws {
        let (pki, ca, receiver) = try await Self.collector(requiringClientCertificates: false)
        defer { pki.remove(); receiver.stop() }
        let registry = try Self.registry()

        // The system trust store does not know the private CA; the log says what to change.
        try await Self.expectRefused(receiver, registry: registry, tls: nil, logSays: "not trusted, expired or not for this host (tls.ca_file")

        let exporter = try OTLPExporter(registry: registry, configuration: Self.configuration(receiver, tls: .init(caFile: ca.certificate)))
        try await exporter.forceFlush()
        #expect(try await Self.delivered(receiver) == 3)
    }

    @Test("delivers to a mutual-TLS receiver only with the client certificate and key")
    func mutualTLS() async throws {
        let (pki, ca, receiver) = try await Self.collector(requiringClientCertificates: true)
        defer { pki.remove(); receiver.stop() }
        let client = try await pki.issue("agent", by: ca, for: .client)
        let registry = try Self.registry()

        try await Self.expectRefused(receiver, registry: registry, tls: .init(caFile: ca.certificate), logSays: "wants a client certificate")
        #expect(await eventually(timeout: .seconds(180)) { receiver.records().contains { $0["handshake_error"] != nil } })

        let tls = OTLPTLSConfiguration(caFile: ca.certificate, certificateFile: client.certificate, keyFile: client.key)
        let exporter = try OTLPExporter(registry: registry, configuration: Self.configuration(receiver, tls: tls))
        try await exporter.forceFlush()
        #expect(try await Self.delivered(receiver) == 3)
    }

    @Test("insecure_skip_verify delivers to an untrusted receiver and warns once")
    func insecureSkipVerify() async throws {
        let (pki, _, receiver) = try await Self.collector(requiringClientCertificates: false)
        defer { pki.remove(); receiver.stop() }
        let logs = LogCapture()
        let exporter = try OTLPExporter(registry: try Self.registry(),
                                    configuration: Self.configuration(receiver, tls: .init(insecureSkipVerify: true)),
                                    logger: logs.logger())
        try await exporter.forceFlush()
        try await exporter.forceFlush()
        #expect(try await Self.delivered(receiver) == 3)
        #expect(logs.warnings.filter { $0.message.contains("insecure_skip_verify") }.count == 1)
    }

    @Test("tls settings with an http endpoint are reported once at creation: they would not protect anything")
    func tlsWithPlainEndpoint() async throws {
        let pki = try TestCertificates()
        defer { pki.remove() }
        let ca = try await pki.authority("ca")
        let logs = LogCapture()
        _ = try OTLPExporter(registry: MetricRegistry(),
                         configuration: OTLPExporterConfiguration(endpoint: "http://127.0.0.1:4318", tls: .init(caFile: ca.certificate)),
                         logger: logs.logger())
        #expect(logs.warnings.map(\.message) == ["OTLP tls settings have no effect: the endpoint is not https, so exports are sent in clear text"])
    }

    @Test("validate() rejects a key that is not the certificate's, a certificate without a key and an unreadable file, naming paths only")
    func validation() async throws {
        let pki = try TestCertificates()
        defer { pki.remove() }
        let ca = try await pki.authority("ca")
        let a = try await pki.issue("a", by: ca, for: .client)
        let b = try await pki.issue("b", by: ca, for: .client)

        let mismatched = OTLPExporterConfiguration(endpoint: "https://collector:4318", tls: .init(certificateFile: a.certificate, keyFile: b.key))
        let issues = mismatched.validate()
        #expect(issues.map(\.keyPath) == [["tls", "key_file"]])
        #expect(issues.first?.message.contains("is not the private key of the certificate") == true)
        #expect(issues.first?.message.contains(b.key) == true)

        let lonely = OTLPExporterConfiguration(endpoint: "https://collector:4318", tls: .init(certificateFile: a.certificate))
        #expect(lonely.validate().map(\.keyPath) == [["tls", "key_file"]])

        let missing = OTLPExporterConfiguration(endpoint: "https://collector:4318", tls: .init(caFile: pki.path("nope.pem")))
        #expect(missing.validate().first?.message.contains("cannot be read") == true)

        let notPEM = OTLPExporterConfiguration(endpoint: "https://collector:4318", tls: .init(caFile: a.key))
        let message = notPEM.validate().first?.message ?? ""
        #expect(message.contains("holds no PEM certificate"))
        #expect(!message.contains("BEGIN"), "file content in a message")

        let good = OTLPExporterConfiguration(endpoint: "https://collector:4318",
                                             tls: .init(caFile: ca.certificate, certificateFile: a.certificate, keyFile: a.key))
        #expect(good.validate().isEmpty)
    }
}

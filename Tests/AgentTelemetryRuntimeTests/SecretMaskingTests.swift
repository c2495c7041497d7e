import AgentTelemetry
import AgentTelemetryOTLP
import AgentTelemetryPrometheus
import Foundation
import Testing
@testable import AgentTelemetryRuntime

@Suite("Secrets are masked by the printer, not by Codable")
struct SecretMaskingTests {
    @Test("a JSON round trip of the OTLP settings keeps header values and URL credentials")
    func otlpRoundTripKeepsSecrets() throws {
        let settings = OTLPExporterConfiguration(endpoint: "http://user:pw@collector:4318", headers: ["api-key": "t0ken-value"])
        let json = try JSONEncoder().encode(settings)
        let back = try JSONDecoder().decode(OTLPExporterConfiguration.self, from: json)
        #expect(back.headers == ["api-key": "t0ken-value"])
        #expect(back.endpoint == "http://user:pw@collector:4318")
    }

    @Test("a JSON round trip of the endpoint's bearer auth keeps the token")
    func prometheusRoundTripKeepsToken() throws {
        let auth = ScrapeAuthentication.bearer(token: "s3cret-token")
        let back = try JSONDecoder().decode(ScrapeAuthentication.self, from: JSONEncoder().encode(auth))
        #expect(back == auth)
    }

    @Test("the printed configuration masks the same secrets")
    func printerMasks() throws {
        let yaml = """
            exporters:
              prometheus:
                auth: {type: bearer, token: s3cret-token}
              otlp:
                endpoint: http://collector:4318
                headers: {api-key: t0ken-value}
            """
        let printed = EffectiveConfiguration.render(try ConfigurationLoader.load(yaml: yaml, source: "f", environment: [:]))
        #expect(!printed.contains("s3cret-token"))
        #expect(!printed.contains("t0ken-value"))
        #expect(printed.contains("token: \"***\""))
        #expect(printed.contains("\"api-key\": \"***\""))
    }
}

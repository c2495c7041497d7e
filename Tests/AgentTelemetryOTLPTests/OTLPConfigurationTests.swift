import AgentTelemetry
import AgentTelemetryTestSupport
import Foundation
import Testing
@testable import AgentTelemetryOTLP

@Suite struct OTLPConfigurationTests {
    @Test func defaultPostsToLocalCollectorV1Metrics() throws {
        let c = OTLPExporterConfiguration()
        #expect(c.validate().isEmpty)
        #expect(try c.resolvedMetricsURL() == "http://127.0.0.1:4318/v1/metrics")
        #expect(c.exportInterval == .seconds(60))
        #expect(c.timeout == .seconds(10))
        #expect(c.temporality == .cumulative)
        #expect(c.compression == .gzip)
    }

    @Test func basePathGetsV1MetricsAppendedWithOneSlash() throws {
        #expect(try OTLPExporterConfiguration(endpoint: "https://otel.example.com/otlp/").resolvedMetricsURL()
            == "https://otel.example.com/otlp/v1/metrics")
        #expect(try OTLPExporterConfiguration(endpoint: "https://otel.example.com:4318").resolvedMetricsURL()
            == "https://otel.example.com:4318/v1/metrics")
    }

    @Test func metricsEndpointIsUsedAsIs() throws {
        let c = OTLPExporterConfiguration(endpoint: "http://ignored:4318", metricsEndpoint: "http://collector:9000/custom/path")
        #expect(try c.resolvedMetricsURL() == "http://collector:9000/custom/path")
    }

    @Test func serviceInstanceIDDefaultsToDistinctUUIDs() {
        let a = OTLPExporterConfiguration().serviceInstanceID
        let b = OTLPExporterConfiguration().serviceInstanceID
        #expect(a != b)
        #expect(a.count == 36)
        #expect(Array(a)[14] == "4")
    }

    @Test(arguments: ["127.0.0.1:4318", "ftp://host", "http://", "http://host:99999", "http://host:abc", "http://ho st"])
    func malformedEndpointsAreRejected(_ url: String) {
        #expect(OTLPExporterConfiguration(endpoint: url).validate().map(\.keyPath) == [["endpoint"]])
        #expect(throws: ConfigurationIssues.self) { try OTLPExporterConfiguration(endpoint: url).resolvedMetricsURL() }
    }

    @Test func durationsOutsideTheirLimitsAreRejectedWithTheLimit() {
        #expect(OTLPExporterConfiguration(exportInterval: .zero).validate() == [ConfigurationIssue(["interval"], "0s is below the minimum of 1s")])
        #expect(OTLPExporterConfiguration(exportInterval: .milliseconds(1)).validate() == [ConfigurationIssue(["interval"], "1ms is below the minimum of 1s")])
        #expect(OTLPExporterConfiguration(timeout: .seconds(-1)).validate() == [ConfigurationIssue(["timeout"], "-1s is below the minimum of 1ms")])
        #expect(OTLPExporterConfiguration(connectTimeout: .zero).validate() == [ConfigurationIssue(["connect_timeout"], "0s is below the minimum of 1ms")])
        #expect(OTLPExporterConfiguration(maxRetryAfter: .zero).validate() == [ConfigurationIssue(["max_retry_after"], "0s is below the minimum of 1ms")])
        #expect(OTLPExporterConfiguration(timeout: .seconds(3600)).validate() == [ConfigurationIssue(["timeout"], "1h is above the maximum of 10m")])
    }

    @Test func connectTimeoutAndMaxRetryAfterHaveShortDefaultsApartFromTheExportTimeout() {
        let c = OTLPExporterConfiguration()
        #expect(c.connectTimeout == .seconds(2))
        #expect(c.connectTimeout < c.timeout)
        #expect(c.maxRetryAfter == .seconds(300))
        #expect(c.errorLogInterval == .seconds(60))
    }

    @Test func connectTimeoutAndMaxRetryAfterDecodeAndEncodeLikeTheOtherDurations() throws {
        let json = #"{"timeout": "8s", "connect_timeout": "750ms", "max_retry_after": "2m"}"#
        let c = try JSONDecoder().decode(OTLPExporterConfiguration.self, from: Data(json.utf8))
        #expect(c.timeout == .seconds(8))
        #expect(c.connectTimeout == .milliseconds(750))
        #expect(c.maxRetryAfter == .seconds(120))
        let defaults = try JSONDecoder().decode(OTLPExporterConfiguration.self, from: Data("{}".utf8))
        #expect(defaults.connectTimeout == .seconds(2) && defaults.maxRetryAfter == .seconds(300))
        let encoded = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(c)) as? [String: Any])
        #expect(encoded["connect_timeout"] as? String == "750ms")
        #expect(encoded["max_retry_after"] as? String == "2m")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(OTLPExporterConfiguration.self, from: Data(#"{"connect_timeout": "soon"}"#.utf8))
        }
    }

    @Test func maxDataPointsBelowOneIsRejected() {
        #expect(OTLPExporterConfiguration(maxDataPointsPerRequest: 0).validate()
            == [ConfigurationIssue(["max_data_points_per_request"], "0 is out of range 1…10000000")])
    }

    @Test func headerInjectionIsRejected() {
        let injected = OTLPExporterConfiguration(headers: ["api-key": "a\r\nX-Evil: 1"]).validate()
        #expect(injected == [ConfigurationIssue(["headers", "api-key"], "the value contains a line break or another control character")])
        #expect(!injected.description.contains("X-Evil"), "a header value is never repeated")
        #expect(OTLPExporterConfiguration(headers: ["bad name": "x"]).validate().map(\.keyPath) == [["headers", "bad name"]])
    }

    @Test func everyProblemIsReportedAtOnce() {
        let c = OTLPExporterConfiguration(endpoint: "ftp://x", exportInterval: .zero, timeout: .zero, maxDataPointsPerRequest: 0)
        #expect(c.validate().map(\.keyPath) == [["endpoint"], ["interval"], ["timeout"], ["max_data_points_per_request"]])
        let more = OTLPExporterConfiguration(endpoint: "ftp://x", exportInterval: .zero, timeout: .zero, connectTimeout: .zero,
                                             maxDataPointsPerRequest: 0, maxRetryAfter: .zero)
        #expect(more.validate().map(\.keyPath) == [["endpoint"], ["interval"], ["timeout"], ["connect_timeout"], ["max_retry_after"],
                                                    ["max_data_points_per_request"]])
    }

    @Test func credentialsInTheURLAreRefusedAndNeverRepeated() {
        for url in ["http://user:S3CRET@collector:4318", "user:S3CRET@collector:4318", "https://S3CRET@collector"] {
            let issues = OTLPExporterConfiguration(endpoint: url).validate()
            #expect(issues.map(\.keyPath) == [["endpoint"]])
            #expect(issues.description.contains("***@collector"))
            #expect(!issues.description.contains("S3CRET"))
            #expect(throws: ConfigurationIssues.self) { try OTLPExporterConfiguration(endpoint: url).resolvedMetricsURL() }
            do {
                _ = try OTLPExporterConfiguration(endpoint: url).resolvedMetricsURL()
            } catch {
                #expect(!error.description.contains("S3CRET"))
            }
        }
    }

    @Test func errorsReadAsSentences() {
        let e = OTLPConfigurationError.invalidEndpoint("x", reason: "no scheme (http:// or https://)")
        #expect(e.description.contains("expected e.g. http://127.0.0.1:4318"))
    }
}

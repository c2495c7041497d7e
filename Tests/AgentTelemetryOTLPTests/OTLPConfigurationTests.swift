import AgentTelemetryTestSupport
import Testing
import AgentTelemetryOTLP

@Suite struct OTLPConfigurationTests {
    @Test func defaultPostsToLocalCollectorV1Metrics() throws {
        let c = OTLPExporterConfiguration()
        try c.validate()
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
        #expect(throws: OTLPConfigurationError.self) { try OTLPExporterConfiguration(endpoint: url).validate() }
    }

    @Test func nonPositiveDurationsAreRejected() {
        #expect(throws: OTLPConfigurationError.nonPositiveDuration(name: "exportInterval")) {
            try OTLPExporterConfiguration(exportInterval: .zero).validate()
        }
        #expect(throws: OTLPConfigurationError.nonPositiveDuration(name: "timeout")) {
            try OTLPExporterConfiguration(timeout: .seconds(-1)).validate()
        }
    }

    @Test func maxDataPointsBelowOneIsRejected() {
        #expect(throws: OTLPConfigurationError.invalidMaxDataPoints(0)) {
            try OTLPExporterConfiguration(maxDataPointsPerRequest: 0).validate()
        }
    }

    @Test func headerInjectionIsRejected() {
        #expect(throws: OTLPConfigurationError.invalidHeaderValue(name: "api-key")) {
            try OTLPExporterConfiguration(headers: ["api-key": "a\r\nX-Evil: 1"]).validate()
        }
        #expect(throws: OTLPConfigurationError.invalidHeaderName("bad name")) {
            try OTLPExporterConfiguration(headers: ["bad name": "x"]).validate()
        }
    }

    @Test func errorsReadAsSentences() {
        let e = OTLPConfigurationError.invalidEndpoint("x", reason: "no scheme (http:// or https://)")
        #expect(e.description.contains("expected e.g. http://127.0.0.1:4318"))
    }
}

@Suite struct OTLPEnvironmentTests {
    @Test func standardVariablesOverrideTheConfiguration() throws {
        let (c, ignored) = OTLPExporterConfiguration().applyingEnvironment([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://collector:4318",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=abc%20def,x-team=agents",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
            "OTEL_METRIC_EXPORT_INTERVAL": "15000",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE": "Delta",
            "OTEL_SERVICE_NAME": "planner",
            "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,team=ml",
        ])
        #expect(ignored.isEmpty)
        #expect(try c.resolvedMetricsURL() == "https://collector:4318/v1/metrics")
        #expect(c.headers == ["api-key": "abc def", "x-team": "agents"])
        #expect(c.timeout == .milliseconds(2500))
        #expect(c.exportInterval == .seconds(15))
        #expect(c.compression == .none)
        #expect(c.temporality == .delta)
        #expect(c.serviceName == "planner")
        #expect(c.resourceAttributes == ["deployment.environment": "prod", "team": "ml"])
    }

    @Test func metricsSpecificVariablesWin() throws {
        let (c, _) = OTLPExporterConfiguration().applyingEnvironment([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general:4318",
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://metrics:9090/otlp/v1/metrics",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "1000", "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT": "3000",
        ])
        #expect(try c.resolvedMetricsURL() == "http://metrics:9090/otlp/v1/metrics")
        #expect(c.timeout == .seconds(3))
    }

    @Test func malformedValuesAreIgnoredAndReported() {
        let (c, ignored) = OTLPExporterConfiguration().applyingEnvironment([
            "OTEL_EXPORTER_OTLP_TIMEOUT": "soon", "OTEL_EXPORTER_OTLP_COMPRESSION": "brotli",
            "OTEL_EXPORTER_OTLP_HEADERS": "novalue",
        ])
        #expect(Set(ignored) == ["OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_HEADERS"])
        #expect(c.timeout == .seconds(10))
        #expect(c.compression == .gzip)
    }
}

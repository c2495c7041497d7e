import AgentTelemetryStatsD
import Testing

@Suite("StatsD configuration")
struct StatsDConfigurationTests {
    @Test func defaultsAreLocalEtsyWith100msFlushes() throws {
        let c = StatsDConfiguration()
        #expect(c.host == "127.0.0.1")
        #expect(c.port == 8125)
        #expect(c.transport == .udp)
        #expect(c.flavour == .etsy)
        #expect(c.flushInterval == .milliseconds(100))
        #expect(c.sampleRate == 1)
        try c.validate()
    }

    @Test func maxPacketSizeDefaultsDependOnTransport() {
        #expect(StatsDConfiguration().effectiveMaxPacketSize == 1432)
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: "/tmp/s")).effectiveMaxPacketSize == 8192)
        #expect(StatsDConfiguration(maxPacketSize: 512).effectiveMaxPacketSize == 512)
    }

    @Test func invalidSettingsAreRejectedWithTheirReason() {
        #expect(throws: StatsDConfigurationError.invalidPort(0)) { try StatsDConfiguration(port: 0).validate() }
        #expect(throws: StatsDConfigurationError.emptyHost) { try StatsDConfiguration(host: "").validate() }
        #expect(throws: StatsDConfigurationError.invalidSampleRate(0)) { try StatsDConfiguration(sampleRate: 0).validate() }
        #expect(throws: StatsDConfigurationError.invalidSampleRate(1.5)) { try StatsDConfiguration(sampleRate: 1.5).validate() }
        #expect(throws: StatsDConfigurationError.invalidQueueCapacity(0)) { try StatsDConfiguration(queueCapacity: 0).validate() }
        #expect(throws: StatsDConfigurationError.invalidFlushInterval(.zero)) { try StatsDConfiguration(flushInterval: .zero).validate() }
        #expect(throws: StatsDConfigurationError.invalidMaxPacketSize(70000, allowed: 64...65507)) {
            try StatsDConfiguration(maxPacketSize: 70000).validate()
        }
        #expect(throws: StatsDConfigurationError.emptyTagKey) { try StatsDConfiguration(constantTags: ["": "x"]).validate() }
        let longPath = "/tmp/" + String(repeating: "s", count: 120)
        #expect(throws: StatsDConfigurationError.self) { try StatsDConfiguration(transport: .unixDomainSocket(path: longPath)).validate() }
        #expect("\(StatsDConfigurationError.invalidPort(70000))".contains("70000"))
    }
}

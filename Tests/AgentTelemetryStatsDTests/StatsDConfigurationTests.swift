import AgentTelemetry
@testable import AgentTelemetryStatsD
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
        #expect(c.validate().isEmpty)
    }

    @Test func maxPacketSizeDefaultsDependOnTransport() {
        #expect(StatsDConfiguration().effectiveMaxPacketSize == 1432)
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: "/tmp/s")).effectiveMaxPacketSize == 8192)
        #expect(StatsDConfiguration(maxPacketSize: 512).effectiveMaxPacketSize == 512)
    }

    @Test func invalidSettingsAreRejectedWithTheirReason() {
        #expect(StatsDConfiguration(port: 0).problems() == [.invalidPort(0)])
        #expect(StatsDConfiguration(host: "").problems() == [.emptyHost])
        #expect(StatsDConfiguration(sampleRate: 0).problems() == [.invalidSampleRate(0)])
        #expect(StatsDConfiguration(sampleRate: 1.5).problems() == [.invalidSampleRate(1.5)])
        #expect(StatsDConfiguration(queueCapacity: 0).problems() == [.invalidQueueCapacity(0)])
        #expect(StatsDConfiguration(flushInterval: .zero).problems() == [.invalidFlushInterval(.zero)])
        #expect(StatsDConfiguration(maxPacketSize: 70000).problems() == [.invalidMaxPacketSize(70000, allowed: 64...65507)])
        #expect(StatsDConfiguration(constantTags: ["": "x"]).problems() == [.emptyTagKey])
        let longPath = "/tmp/" + String(repeating: "s", count: 120)
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: longPath)).problems().count == 1)
        #expect("\(StatsDConfigurationError.invalidPort(70000))".contains("70000"))
    }

    @Test func everyProblemIsReportedAtOnceWithItsKey() {
        let c = StatsDConfiguration(port: 0, maxPacketSize: 10, sampleRate: 2, queueCapacity: 0)
        #expect(c.validate().map(\.keyPath) == [["port"], ["max_packet_size"], ["sample_rate"], ["queue_capacity"]])
        #expect(c.validate().first == ConfigurationIssue(["port"], "0 is not between 1 and 65535"))
    }

    @Test func packetSizeLimitsAreTheTransportsOwn() {
        #expect(StatsDConfiguration(maxPacketSize: 65507).validate().isEmpty, "the largest IPv4 UDP payload")
        #expect(StatsDConfiguration(maxPacketSize: 65508).problems() == [.invalidMaxPacketSize(65508, allowed: 64...65507)])
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: "/tmp/s"), maxPacketSize: 212_992).validate().isEmpty)
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: "/tmp/s"), maxPacketSize: 212_993).problems()
            == [.invalidMaxPacketSize(212_993, allowed: 64...212_992)])
        #expect(StatsDConfiguration(maxPacketSize: 63).problems() == [.invalidMaxPacketSize(63, allowed: 64...65507)])
    }

    @Test func aUnixSocketNeedsAPath() {
        #expect(StatsDConfiguration(transport: .unixDomainSocket(path: "")).validate()
            == [ConfigurationIssue(["socket_path"], "is required for the uds transport")])
    }
}

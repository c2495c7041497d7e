import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryOTLP

@Suite struct RetryAfterTests {
    @Test func delaySecondsForm() {
        #expect(RetryAfter.delay("1", nowSeconds: 0) == .seconds(1))
        #expect(RetryAfter.delay(" 120 ", nowSeconds: 0) == .seconds(120))
    }

    @Test func imfFixdateIsUnixTime() {
        // RFC 9110's example date; 1994-11-06T08:49:37Z is Unix time 784111777.
        #expect(RetryAfter.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    }

    @Test func obsoleteDateFormsAreAccepted() {
        #expect(RetryAfter.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.httpDate("Sun Nov  6 08:49:37 1994") == 784_111_777)
    }

    @Test func httpDateDelayIsMeasuredFromNow() {
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:40 GMT", nowSeconds: 784_111_777) == .seconds(3))
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", nowSeconds: 784_111_800) == .zero)
    }

    @Test func garbageIsIgnored() {
        #expect(RetryAfter.delay("soon", nowSeconds: 0) == nil)
        #expect(RetryAfter.delay("-5", nowSeconds: 0) == nil)
    }
}

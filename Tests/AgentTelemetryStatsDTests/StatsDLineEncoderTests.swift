import AgentTelemetry
import AgentTelemetryStatsD
import Testing

/// Exact bytes of every flavour, written from the protocol rules.
@Suite("StatsD line encoder")
struct StatsDLineEncoderTests {
    let calls = MetricFamilyInfo(name: "agent_tool_calls_total", help: "h", type: .counter, unit: nil, labelNames: ["tool", "status"])
    let depth = MetricFamilyInfo(name: "agent_queue_depth", help: "h", type: .gauge, unit: nil, labelNames: [])
    let duration = MetricFamilyInfo(
        name: "agent_tool_execution_duration_seconds", help: "h", type: .histogram, unit: .seconds, labelNames: ["tool"], buckets: [1])
    let tokens = MetricFamilyInfo(name: "agent_tokens", help: "h", type: .histogram, unit: .tokens, labelNames: [], buckets: [1])
    let searchOK = LabelSet(names: ["tool", "status"], values: ["search", "ok"])

    func counter(_ e: StatsDLineEncoder, _ info: MetricFamilyInfo, _ labels: LabelSet, _ amount: Double, rate: Double = 1) -> String {
        var out: [UInt8] = []
        e.appendCounter(e.render(info: info, labels: labels), increment: amount, sampleRate: rate, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func gauge(_ e: StatsDLineEncoder, _ info: MetricFamilyInfo, _ labels: LabelSet, _ value: Double) -> String {
        var out: [UInt8] = []
        e.appendGauge(e.render(info: info, labels: labels), value: value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func observe(_ e: StatsDLineEncoder, _ info: MetricFamilyInfo, _ labels: LabelSet, _ value: Double, rate: Double = 1) -> String {
        var out: [UInt8] = []
        e.appendObservation(e.render(info: info, labels: labels), value: value, sampleRate: rate, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: etsy

    @Test func etsyCounterFoldsLabelValuesIntoTheDottedName() {
        let e = StatsDLineEncoder(flavour: .etsy, prefix: "myagent.")
        #expect(counter(e, calls, searchOK, 1) == "myagent.agent_tool_calls_total.search.ok:1|c")
    }

    @Test func etsyCounterKeepsFractionalIncrements() {
        let e = StatsDLineEncoder(flavour: .etsy)
        #expect(counter(e, calls, searchOK, 2.5) == "agent_tool_calls_total.search.ok:2.5|c")
    }

    @Test func etsyLabelValueDotsAndEmptyValuesKeepSegmentPositions() {
        let e = StatsDLineEncoder(flavour: .etsy)
        let labels = LabelSet(names: ["tool", "status"], values: ["gpt-4.1", ""])
        #expect(counter(e, calls, labels, 1) == "agent_tool_calls_total.gpt-4_1._:1|c")
    }

    @Test("tagged flavours send no tag for an empty value (error_type on a success), as OTLP sends no attribute")
    func emptyValuesAreNoTags() {
        let labels = LabelSet(names: ["tool", "status"], values: ["search", ""])
        #expect(counter(StatsDLineEncoder(flavour: .dogStatsD), calls, labels, 1) == "agent_tool_calls_total:1|c|#tool:search")
        #expect(counter(StatsDLineEncoder(flavour: .telegraf), calls, labels, 1) == "agent_tool_calls_total,tool=search:1|c")
        let none = LabelSet(names: ["tool", "status"], values: ["", ""])
        #expect(counter(StatsDLineEncoder(flavour: .dogStatsD, constantTags: ["env": ""]), calls, none, 1) == "agent_tool_calls_total:1|c")
    }

    @Test func etsyIgnoresConstantTags() {
        let e = StatsDLineEncoder(flavour: .etsy, constantTags: ["env": "prod"])
        #expect(counter(e, calls, searchOK, 1) == "agent_tool_calls_total.search.ok:1|c")
    }

    @Test func gaugeWithPositiveValueHasNoSign() {
        let e = StatsDLineEncoder(flavour: .etsy, prefix: "myagent.")
        #expect(gauge(e, depth, .empty, 5) == "myagent.agent_queue_depth:5|g")
        #expect(gauge(e, depth, .empty, 0.25) == "myagent.agent_queue_depth:0.25|g")
        #expect(gauge(e, depth, .empty, 0) == "myagent.agent_queue_depth:0|g")
    }

    @Test func negativeGaugeIsSentAsResetToZeroThenTheValue() {
        let e = StatsDLineEncoder(flavour: .etsy, prefix: "myagent.")
        #expect(gauge(e, depth, .empty, -5) == "myagent.agent_queue_depth:0|g\nmyagent.agent_queue_depth:-5|g")
    }

    @Test func negativeGaugeResetCarriesTagsInEveryFlavour() {
        let labels = LabelSet(names: ["q"], values: ["a"])
        let info = MetricFamilyInfo(name: "depth", help: "h", type: .gauge, unit: nil, labelNames: ["q"])
        #expect(gauge(StatsDLineEncoder(flavour: .dogStatsD), info, labels, -1.5) == "depth:0|g|#q:a\ndepth:-1.5|g|#q:a")
        #expect(gauge(StatsDLineEncoder(flavour: .telegraf), info, labels, -1.5) == "depth,q=a:0|g\ndepth,q=a:-1.5|g")
    }

    @Test func nonFiniteGaugeIsNotSent() {
        let e = StatsDLineEncoder(flavour: .etsy)
        #expect(gauge(e, depth, .empty, .infinity) == "")
    }

    @Test func durationIsATimerInMillisecondsWithoutTheSecondsSuffix() {
        let e = StatsDLineEncoder(flavour: .etsy, prefix: "myagent.")
        let search = LabelSet(names: ["tool"], values: ["search"])
        #expect(observe(e, duration, search, 0.25) == "myagent.agent_tool_execution_duration.search:250|ms")
        #expect(observe(e, duration, search, 0.0123) == "myagent.agent_tool_execution_duration.search:12.3|ms")
        #expect(observe(e, duration, search, 2) == "myagent.agent_tool_execution_duration.search:2000|ms")
    }

    @Test func nonDurationHistogramIsMsInEtsyAndTelegrafAndHInDogStatsD() {
        #expect(observe(StatsDLineEncoder(flavour: .etsy), tokens, .empty, 1024) == "agent_tokens:1024|ms")
        #expect(observe(StatsDLineEncoder(flavour: .telegraf), tokens, .empty, 1024) == "agent_tokens:1024|ms")
        #expect(observe(StatsDLineEncoder(flavour: .dogStatsD), tokens, .empty, 1024) == "agent_tokens:1024|h")
    }

    @Test func durationIsMsInDogStatsDToo() {
        let search = LabelSet(names: ["tool"], values: ["search"])
        #expect(observe(StatsDLineEncoder(flavour: .dogStatsD), duration, search, 0.5)
            == "agent_tool_execution_duration:500|ms|#tool:search")
    }

    @Test func sampledLinesCarryTheRate() {
        let e = StatsDLineEncoder(flavour: .etsy)
        #expect(counter(e, calls, searchOK, 1, rate: 0.1) == "agent_tool_calls_total.search.ok:1|c|@0.1")
        #expect(observe(e, tokens, .empty, 3, rate: 0.25) == "agent_tokens:3|ms|@0.25")
    }

    // MARK: DogStatsD

    @Test func dogStatsDTagsFollowTheTypeAsHashList() {
        let e = StatsDLineEncoder(flavour: .dogStatsD, prefix: "myagent.")
        #expect(counter(e, calls, searchOK, 1) == "myagent.agent_tool_calls_total:1|c|#tool:search,status:ok")
    }

    @Test func dogStatsDRateComesBeforeTags() {
        let e = StatsDLineEncoder(flavour: .dogStatsD)
        #expect(counter(e, calls, searchOK, 1, rate: 0.5) == "agent_tool_calls_total:1|c|@0.5|#tool:search,status:ok")
    }

    @Test func constantTagsComeFirstSortedAndSeriesLabelWins() {
        let e = StatsDLineEncoder(flavour: .dogStatsD, constantTags: ["tool": "constant", "env": "prod", "az": "1"])
        #expect(counter(e, calls, searchOK, 1) == "agent_tool_calls_total:1|c|#az:1,env:prod,tool:search,status:ok")
    }

    @Test func unlabelledSeriesWithoutConstantTagsHasNoTagSection() {
        #expect(gauge(StatsDLineEncoder(flavour: .dogStatsD), depth, .empty, 3) == "agent_queue_depth:3|g")
        #expect(gauge(StatsDLineEncoder(flavour: .telegraf), depth, .empty, 3) == "agent_queue_depth:3|g")
    }

    @Test func emptyLabelValuesAreLeftOutOfTags() {
        let labels = LabelSet(names: ["tool", "status"], values: ["search", ""])
        #expect(counter(StatsDLineEncoder(flavour: .dogStatsD), calls, labels, 1) == "agent_tool_calls_total:1|c|#tool:search")
        #expect(counter(StatsDLineEncoder(flavour: .telegraf), calls, labels, 1) == "agent_tool_calls_total,tool=search:1|c")
    }

    // MARK: Telegraf

    @Test func telegrafTagsFollowTheNameInfluxStyle() {
        let e = StatsDLineEncoder(flavour: .telegraf, prefix: "myagent.", constantTags: ["env": "prod"])
        #expect(counter(e, calls, searchOK, 1) == "myagent.agent_tool_calls_total,env=prod,tool=search,status=ok:1|c")
    }

    @Test func telegrafRateFollowsTheType() {
        let e = StatsDLineEncoder(flavour: .telegraf)
        #expect(counter(e, calls, searchOK, 4, rate: 0.5) == "agent_tool_calls_total,tool=search,status=ok:4|c|@0.5")
    }

    // MARK: sanitising

    @Test(arguments: [":", "|", "@", "#", ",", "=", " ", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}"])
    func lineBreakingCharacterInTagValueIsReplaced(_ bad: String) {
        let labels = LabelSet(names: ["tool", "status"], values: ["a\(bad)b", "ok"])
        #expect(counter(StatsDLineEncoder(flavour: .dogStatsD), calls, labels, 1) == "agent_tool_calls_total:1|c|#tool:a_b,status:ok")
        #expect(counter(StatsDLineEncoder(flavour: .telegraf), calls, labels, 1) == "agent_tool_calls_total,tool=a_b,status=ok:1|c")
        #expect(counter(StatsDLineEncoder(flavour: .etsy), calls, labels, 1) == "agent_tool_calls_total.a_b.ok:1|c")
    }

    @Test(arguments: [":", "|", "@", "#", ",", "=", " ", "\n", "\u{7F}"])
    func lineBreakingCharacterInTagKeyIsReplaced(_ bad: String) {
        let e = StatsDLineEncoder(flavour: .dogStatsD, constantTags: ["k\(bad)y": "v"])
        #expect(gauge(e, depth, .empty, 1) == "agent_queue_depth:1|g|#k_y:v")
        let t = StatsDLineEncoder(flavour: .telegraf, constantTags: ["k\(bad)y": "v"])
        #expect(gauge(t, depth, .empty, 1) == "agent_queue_depth,k_y=v:1|g")
    }

    @Test(arguments: [":", "|", "@", "#", ",", "=", " ", "\n"])
    func lineBreakingCharacterInNameOrPrefixIsReplaced(_ bad: String) {
        let info = MetricFamilyInfo(name: "n\(bad)m", help: "h", type: .counter, unit: nil, labelNames: [])
        let e = StatsDLineEncoder(flavour: .etsy, prefix: "p\(bad).")
        #expect(counter(e, info, .empty, 1) == "p_.n_m:1|c")
    }

    @Test func everyBreakingCharacterAtOnceBecomesUnderscores() {
        #expect(StatsDSanitizer.sanitized("a:b|c@d#e,f=g h\ni\tj") == "a_b_c_d_e_f_g_h_i_j")
    }

    @Test func nonASCIIPassesThroughUnchanged() {
        #expect(StatsDSanitizer.sanitized("café-ü.x_1") == "café-ü.x_1")
        #expect(StatsDSanitizer.sanitized("v1.2", replacingDots: true) == "v1_2")
    }

    // MARK: numbers

    @Test func numbersHaveNoNeedlessDecimals() {
        #expect(StatsDNumberFormat.string(1) == "1")
        #expect(StatsDNumberFormat.string(1.0) == "1")
        #expect(StatsDNumberFormat.string(-0.0) == "0")
        #expect(StatsDNumberFormat.string(-42) == "-42")
        #expect(StatsDNumberFormat.string(0.5) == "0.5")
        #expect(StatsDNumberFormat.string(1234567890123) == "1234567890123")
    }
}

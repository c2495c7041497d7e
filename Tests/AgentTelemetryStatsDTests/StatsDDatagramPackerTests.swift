import AgentTelemetryStatsD
import Testing

@Suite("StatsD datagram packing")
struct StatsDDatagramPackerTests {
    /// Deterministic varied lengths (a linear congruential sequence), no randomness between runs.
    static func lines(count: Int, maxLength: Int) -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Mostly short lines, some long, some exactly the limit.
            let r = Int(state >> 33)
            let length = i % 997 == 0 ? maxLength : (r % 10 == 0 ? 1 + r % maxLength : 8 + r % 120)
            let tag = Array("l\(i):".utf8)
            var line = tag
            while line.count < length { line.append(UInt8(ascii: "a") + UInt8(line.count % 26)) }
            return Array(line.prefix(max(length, tag.count)))
        }
    }

    @Test func tenThousandLinesFitTheLimitUnsplitAndInOrder() {
        let max = 1432
        let input = Self.lines(count: 10_000, maxLength: max)
        var packer = StatsDDatagramPacker(maxPacketSize: max)
        var refused = 0
        for line in input where !packer.append(line) { refused += 1 }
        #expect(refused == 0)
        let datagrams = packer.finish()
        #expect(datagrams.allSatisfy { $0.count <= max && !$0.isEmpty })
        // Splitting every datagram on "\n" gives back exactly the input lines, in order:
        // no line was cut in two and none is missing.
        let output = datagrams.flatMap { $0.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init) }
        #expect(output.count == 10_000)
        #expect(output == input)
        // And packing is dense: each datagram but the last could not take the next line.
        var next = 0
        for (i, d) in datagrams.enumerated() {
            next += StatsDDatagramPacker.lineCount(d)
            if i < datagrams.count - 1 { #expect(d.count + 1 + input[next].count > max) }
        }
    }

    @Test func lineLongerThanTheLimitIsRefusedAndOthersStillSent() {
        var packer = StatsDDatagramPacker(maxPacketSize: 10)
        do { let ok = packer.append(Array("a:1|c".utf8)); #expect(ok) }
        do { let ok = packer.append(Array("toolong:1|c".utf8)); #expect(!ok) }
        do { let ok = packer.append(Array("b:2|c".utf8)); #expect(ok) }
        do { let out = packer.finish(); #expect(out == [Array("a:1|c".utf8), Array("b:2|c".utf8)]) }
    }

    @Test func lineOfExactlyTheLimitIsSentAlone() {
        var packer = StatsDDatagramPacker(maxPacketSize: 5)
        do { let ok = packer.append(Array("a:1|c".utf8)); #expect(ok) }
        do { let ok = packer.append(Array("b:1|c".utf8)); #expect(ok) }
        do { let out = packer.finish(); #expect(out == [Array("a:1|c".utf8), Array("b:1|c".utf8)]) }
    }

    @Test func linesAreJoinedByNewlineWithoutTrailingNewline() {
        var packer = StatsDDatagramPacker(maxPacketSize: 100)
        packer.append(Array("a:1|c".utf8))
        packer.append(Array("b:2|g".utf8))
        do { let out = packer.finish(); #expect(out == [Array("a:1|c\nb:2|g".utf8)]) }
        do { let out = packer.finish(); #expect(out.isEmpty) }
    }
}

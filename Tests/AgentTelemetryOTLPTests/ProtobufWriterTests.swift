import AgentTelemetryTestSupport
import Testing
@testable import AgentTelemetryOTLP
import AgentTelemetry

/// Expected bytes come from the protocol-buffers encoding specification
/// (https://protobuf.dev/programming-guides/encoding/), worked out by hand.
@Suite struct ProtobufWriterTests {
    private func bytes(_ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var w = ProtobufWriter()
        body(&w)
        return w.bytes
    }

    @Test func varintOfZeroIsOneZeroByte() {
        let e1 = bytes { $0.writeVarint(0) }
        #expect(e1 == [0x00])
    }

    @Test func varintBelow128IsOneByte() {
        let e2 = bytes { $0.writeVarint(1) }
        #expect(e2 == [0x01])
        let e3 = bytes { $0.writeVarint(127) }
        #expect(e3 == [0x7F])
    }

    @Test func varint150IsSpecExample() {
        // 150 = 0b1_0010110 → low group 0010110 with continuation bit, then 0000001.
        let e4 = bytes { $0.writeVarint(150) }
        #expect(e4 == [0x96, 0x01])
    }

    @Test func varint300() {
        // 300 = 0b10_0101100 → 0xAC 0x02.
        let e5 = bytes { $0.writeVarint(300) }
        #expect(e5 == [0xAC, 0x02])
    }

    @Test func varintOfMaxUInt64TakesTenBytes() {
        let e6 = bytes { $0.writeVarint(.max) }
        #expect(e6 == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(ProtobufWriter.varintSize(.max) == 10)
    }

    @Test func negativeInt64IsTenByteVarint() {
        // int64 -1 is encoded as its two's complement, 0xFFFF_FFFF_FFFF_FFFF.
        let e7 = bytes { $0.writeVarintField(1, UInt64(bitPattern: -1)) }
        #expect(e7.count == 11)
    }

    @Test func varintFieldSpecExample() {
        // message Test1 { int32 a = 1; } with a = 150 → 08 96 01.
        let e8 = bytes { $0.writeVarintField(1, 150) }
        #expect(e8 == [0x08, 0x96, 0x01])
    }

    @Test func stringFieldSpecExample() {
        // message Test2 { string b = 2; } with b = "testing" → 12 07 74 65 73 74 69 6e 67.
        let e9 = bytes { $0.writeStringField(2, "testing") }
        #expect(e9 == [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
    }

    @Test func emptyStringFieldIsTagAndZeroLength() {
        let e10 = bytes { $0.writeStringField(1, "") }
        #expect(e10 == [0x0A, 0x00])
    }

    @Test func nonASCIIStringLengthCountsUTF8Bytes() {
        // "é" is C3 A9 in UTF-8.
        let e11 = bytes { $0.writeStringField(1, "é") }
        #expect(e11 == [0x0A, 0x02, 0xC3, 0xA9])
    }

    @Test func nestedMessageSpecExample() {
        // message Test3 { Test1 c = 3; } with c.a = 150 → 1a 03 08 96 01.
        let e12 = bytes { $0.writeMessage(3) { $0.writeVarintField(1, 150) } }
        #expect(e12 == [0x1A, 0x03, 0x08, 0x96, 0x01])
    }

    @Test func fixed64FieldIsLittleEndianWireType1() {
        // Field 2, wire type 1 → key 0x11; value 0x0102030405060708 little-endian.
        let e13 = bytes { $0.writeFixed64Field(2, 0x0102_0304_0506_0708) }
        #expect(e13
            == [0x11, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
    }

    @Test func doubleFieldIsIEEE754LittleEndian() {
        // 1.0 = 0x3FF0000000000000; field 4, wire type 1 → key 0x21.
        let e14 = bytes { $0.writeDoubleField(4, 1.0) }
        #expect(e14 == [0x21, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        // -2.5 = 0xC004000000000000.
        let e15 = bytes { $0.writeDoubleField(1, -2.5) }
        #expect(e15 == [0x09, 0, 0, 0, 0, 0, 0, 0x04, 0xC0])
    }

    @Test func packedDoublesAreOneLengthDelimitedField() {
        // Field 7, wire type 2 → key 0x3A; 2 × 8 bytes → length 16.
        let e16 = bytes { $0.writePackedDoubleField(7, [1.0, 2.0]) }
        #expect(e16
            == [0x3A, 0x10, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0x00, 0x40])
    }

    @Test func packedFixed64() {
        // Field 6, wire type 2 → key 0x32; values 1 and 256.
        let e17 = bytes { $0.writePackedFixed64Field(6, [1, 256]) }
        #expect(e17
            == [0x32, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    @Test func emptyPackedFieldIsOmitted() {
        let e18 = bytes { $0.writePackedDoubleField(7, []) }
        #expect(e18 == [])
    }

    @Test func boolFieldTrueIsVarintOne() {
        // Field 3, wire type 0 → key 0x18.
        let e19 = bytes { $0.writeBoolField(3, true) }
        #expect(e19 == [0x18, 0x01])
    }

    @Test func largeFieldNumberTagIsMultiByteVarint() {
        // Field 16, wire type 2 → key 16 << 3 | 2 = 130 → 0x82 0x01.
        let e20 = bytes { $0.writeBytesField(16, [0xAA]) }
        #expect(e20 == [0x82, 0x01, 0x01, 0xAA])
    }

    @Test func nestedMessageOf200BytesHasTwoByteLength() {
        let payload = [UInt8](repeating: 0x41, count: 198)  // + 2 bytes of key and length = 200 body bytes
        let out = bytes { $0.writeMessage(1) { $0.writeBytesField(2, Array(payload.prefix(126))); $0.writeBytesField(3, Array(payload.prefix(70))) } }
        // body = (1+1+126) + (1+1+70) = 200 → length varint 0xC8 0x01.
        #expect(Array(out.prefix(3)) == [0x0A, 0xC8, 0x01])
        #expect(out.count == 3 + 200)
        #expect(Array(out[3..<5]) == [0x12, 0x7E])
    }

    @Test func nestedMessageOf16384BytesHasThreeByteLength() {
        let out = bytes { $0.writeMessage(1) { $0.writeBytesField(2, [UInt8](repeating: 7, count: 16_381)) } }
        // body = 1 key + 2 length (16381 = 0xFD 0x7F) + 16381 = 16384 = 0x80 0x80 0x01.
        #expect(Array(out.prefix(6)) == [0x0A, 0x80, 0x80, 0x01, 0x12, 0xFD])
        #expect(out.count == 4 + 16_384)
    }

    @Test func readerParsesPartialSuccess() {
        // ExportMetricsServiceResponse { partial_success(1) { rejected_data_points(1)=3, error_message(2)="x" } }
        let response: [UInt8] = [0x0A, 0x05, 0x08, 0x03, 0x12, 0x01, 0x78]
        #expect(OTLPPartialSuccess.parse(response: response) == OTLPPartialSuccess(rejectedDataPoints: 3, errorMessage: "x"))
    }

    @Test func readerTreatsEmptyOrTruncatedResponsesAsNoPartialSuccess() {
        #expect(OTLPPartialSuccess.parse(response: []) == nil)
        #expect(OTLPPartialSuccess.parse(response: [0x0A, 0x00]) == nil)
        #expect(OTLPPartialSuccess.parse(response: [0x0A, 0x05, 0x08]) == nil)
        #expect(OTLPPartialSuccess.parse(response: [0xFF]) == nil)
    }
}

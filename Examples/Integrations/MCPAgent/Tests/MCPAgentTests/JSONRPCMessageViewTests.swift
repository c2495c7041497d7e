import Foundation
import Testing
@testable import MCPTelemetry

/// What the instrumented transport reads of a message, checked on hand-written JSON-RPC text
/// (the shapes of the MCP specification's examples, with the awkward cases added).
@Suite struct JSONRPCMessageViewTests {
    struct Seen: Equatable {
        var kind = ""
        var id: String?
        var method: String?
        var tool: String?
        var isError = false
        var errorCode: Int?
        var version: String?
        var cancelled: String?
    }

    static func read(_ text: String) -> [Seen] {
        var out: [Seen] = []
        JSONRPCMessageView.forEachMessage(in: Data(text.utf8)) { m in
            out.append(Seen(kind: m.isRequest ? "request" : m.isResponse ? "response" : m.isNotification ? "notification" : "other",
                            id: m.id, method: m.method, tool: m.paramsName, isError: m.resultIsError,
                            errorCode: m.errorCode, version: m.protocolVersion, cancelled: m.cancelledRequestID))
        }
        return out
    }

    @Test func aToolCallRequestGivesItsIdMethodAndToolName() {
        let seen = Self.read(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"name":"not this"},"name":"add"}}"#)
        #expect(seen == [Seen(kind: "request", id: "7", method: "tools/call", tool: "add")])
    }

    @Test func aStringIdKeepsItsQuotesSoThatItNeverPairsWithTheNumberOfTheSameDigits() {
        let seen = Self.read(#"{"id":"7","jsonrpc":"2.0","method":"ping"}"#)
        #expect(seen.first?.id == #""7""#)
    }

    @Test func aToolResultWithIsErrorTrueIsSeenAndFalseIsNot() {
        let failed = Self.read(#"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"{\"isError\":false} }]"}],"isError":true}}"#)
        #expect(failed == [Seen(kind: "response", id: "3", isError: true)])
        let fine = Self.read(#"{"jsonrpc":"2.0","id":3,"result":{"content":[],"isError":false}}"#)
        #expect(fine == [Seen(kind: "response", id: "3", isError: false)])
    }

    @Test func anErrorResponseGivesItsCode() {
        let seen = Self.read(#"{"jsonrpc":"2.0","id":"a-1","error":{"message":"Unknown tool","code":-32602}}"#)
        #expect(seen == [Seen(kind: "response", id: #""a-1""#, errorCode: -32602)])
    }

    @Test func initializeCarriesTheProtocolVersionInItsParamsAndItsResult() {
        #expect(Self.read(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18"}}"#).first?.version == "2025-06-18")
        #expect(Self.read(#"{"jsonrpc":"2.0","id":0,"result":{"capabilities":{},"protocolVersion":"2025-03-26"}}"#).first?.version == "2025-03-26")
    }

    @Test func aCancellationNamesTheRequestItCancels() {
        let seen = Self.read(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"r9","reason":"user"}}"#)
        #expect(seen == [Seen(kind: "notification", method: "notifications/cancelled", cancelled: #""r9""#)])
    }

    @Test func aBatchIsReadElementByElementWithWhitespaceAnywhere() {
        let seen = Self.read(" [ {\"jsonrpc\":\"2.0\", \"id\" : 1 , \"method\":\"tools/list\"} ,\n {\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"} ] ")
        #expect(seen.map(\.kind) == ["request", "notification"])
        #expect(seen.first?.method == "tools/list")
    }

    @Test func escapedQuotesAndBracketsInsideStringsDoNotEndAValueEarly() {
        let seen = Self.read(#"{"jsonrpc":"2.0","params":{"name":"a\"}]\\","x":[{"y":"}"}]},"id":12,"method":"tools/call"}"#)
        #expect(seen == [Seen(kind: "request", id: "12", method: "tools/call", tool: #"a"}]\"#)])
    }

    @Test func escapedSlashesAsFoundationsEncoderWritesThemAreDecoded() {
        let seen = Self.read(#"{"jsonrpc":"2.0","id":"a\/b","method":"tools\/call","params":{"name":"caf\u00e9 \ud83d\ude00"}}"#)
        #expect(seen == [Seen(kind: "request", id: #""a/b""#, method: "tools/call", tool: "café 😀")])
        var recognised = false
        JSONRPCMessageView.forEachMessage(in: Data(#"{"id":1,"method":"tools\/call"}"#.utf8)) { recognised = $0.methodIs("tools/call") }
        #expect(recognised)
    }

    @Test func textThatIsNotAJSONRPCObjectIsSkipped() {
        for text in ["", "   ", "42", "\"text\"", "{\"id\":1,", "{\"id\" 1}", "[1,2", "{\"method\":\"x\",\"id\":}"] {
            #expect(Self.read(text).allSatisfy { $0.kind == "other" }, "\(text)")
        }
    }
}

import Foundation
import Logging
import MCP

/// A transport whose peer reads everything and answers nothing, except what a test hands it to
/// deliver: the place to send requests nobody will answer.
actor SilentPeer: Transport {
    nonisolated let logger = Logger(label: "mcp-agent-tests.silent-peer")
    private(set) var sent = 0
    /// When set, every send fails (a broken pipe).
    private var failing = false
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let deliver: AsyncThrowingStream<Data, any Error>.Continuation

    init() {
        (incoming, deliver) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    func connect() async throws {}
    func disconnect() async { deliver.finish() }
    func send(_ data: Data) async throws {
        if failing { throw BrokenPipe() }
        sent += 1
    }

    /// Makes every later send fail.
    func breakPipe() { failing = true }

    struct BrokenPipe: Error {}
    func receive() -> AsyncThrowingStream<Data, any Error> { incoming }

    /// Makes `text` arrive as if the peer had sent it.
    nonisolated func arrive(_ text: String) { deliver.yield(Data(text.utf8)) }
}

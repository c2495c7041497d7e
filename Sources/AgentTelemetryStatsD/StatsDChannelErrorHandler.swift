import NIOCore

/// Sits in the datagram channel's pipeline: discards anything received and reports errors the
/// socket raises outside a write (on Linux a connected UDP socket reports a peer's ICMP
/// "port unreachable" as ECONNREFUSED this way).
final class StatsDChannelErrorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let onError: @Sendable (any Error) -> Void

    init(onError: @escaping @Sendable (any Error) -> Void) {
        self.onError = onError
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // A StatsD client receives nothing it needs; drop it.
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError(error)
    }
}

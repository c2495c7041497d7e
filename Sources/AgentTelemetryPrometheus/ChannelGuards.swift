import NIOCore

/// Refuses requests whose request line and headers exceed a byte limit: answers
/// 431 and closes. Sits before the HTTP decoder, so an oversized head never gets buffered whole.
/// Bytes are counted from the end of the previous head, so a request body (which the endpoint
/// never needs: only GET and HEAD are served) also counts toward the limit.
final class RequestHeadLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: Int
    private var sinceHeadEnd = 0
    private var tail: UInt32 = 0  // the last four bytes seen
    private var refused = false

    init(limit: Int) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        let buffer = unwrapInboundIn(data)
        buffer.withUnsafeReadableBytes { bytes in
            for b in bytes {
                tail = tail << 8 | UInt32(b)
                sinceHeadEnd += 1
                // End of a head: CRLF CRLF, or bare LF LF, which the HTTP decoder also accepts.
                if tail == 0x0D0A_0D0A || tail & 0xFFFF == 0x0A0A { sinceHeadEnd = 0 }
                if sinceHeadEnd > limit { refused = true; break }
            }
        }
        if refused {
            var out = context.channel.allocator.buffer(capacity: 128)
            out.writeString("HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(out)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }
}

/// Closes the connection when the idle-state handler reports that nothing was read for too long.
final class CloseOnIdleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

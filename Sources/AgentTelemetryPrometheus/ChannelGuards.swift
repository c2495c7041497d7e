import NIOCore

/// Guards the request head before the HTTP decoder sees it:
/// - a byte limit: a request line plus headers above it gets 431 and the connection is closed, so
///   an oversized head never gets buffered whole. Bytes are counted from the end of the previous
///   head, so a request body (the endpoint never needs one: only GET and HEAD are served) also
///   counts toward the limit;
/// - a deadline: from the first byte of a head, the whole head must arrive within `timeout`, or
///   the connection is closed. A client sending one byte a second (slowloris) cannot hold a
///   connection open by resetting the idle timer.
final class RequestHeadLimitHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: Int
    private let timeout: TimeAmount
    private var sinceHeadEnd = 0
    private var tail: UInt32 = 0  // the last four bytes seen
    private var refused = false
    private var deadline: Scheduled<Void>?

    init(limit: Int, timeout: TimeAmount) {
        self.limit = limit
        self.timeout = timeout
    }

    func handlerRemoved(context: ChannelHandlerContext) { deadline?.cancel() }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if refused { return }
        let buffer = unwrapInboundIn(data)
        var headEnded = false
        buffer.withUnsafeReadableBytes { bytes in
            for b in bytes {
                tail = tail << 8 | UInt32(b)
                sinceHeadEnd += 1
                // End of a head: CRLF CRLF, or bare LF LF, which the HTTP decoder also accepts.
                if tail == 0x0D0A_0D0A || tail & 0xFFFF == 0x0A0A { sinceHeadEnd = 0; headEnded = true }
                if sinceHeadEnd > limit { refused = true; break }
            }
        }
        if headEnded {
            deadline?.cancel()
            deadline = nil
        }
        if sinceHeadEnd > 0 && deadline == nil && !refused {
            // A head has started and is not complete: it has `timeout` to arrive whole.
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
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

import NIOCore
import NIOSSL
import NIOTLS

/// Sits right after the TLS handler of a connection until its handshake completes:
/// - bounds the handshake: a client that connects and does not finish the handshake within the
///   request-head timeout is closed (a TLS slowloris holds nothing for long);
/// - reports a failed handshake (no client certificate, an untrusted one, plain HTTP or garbage
///   on the TLS port, a timeout) once per connection through `report`, with the reason the TLS
///   library gives, which never contains key material. A peer that connects and closes without
///   sending a byte (a TCP probe) is not reported; one that sends something and then closes is.
///
/// Once the handshake is done it removes itself, so an established connection pays nothing.
final class TLSHandshakeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    /// Called once for a connection whose handshake failed: the reason and the peer's address.
    typealias Report = @Sendable (_ reason: String, _ peer: String) -> Void

    private let timeout: TimeAmount
    private let report: Report
    private let witness: PeerSpokeWitness
    private var deadline: Scheduled<Void>?
    private var done = false

    init(timeout: TimeAmount, witness: PeerSpokeWitness, report: @escaping Report) {
        self.timeout = timeout
        self.witness = witness
        self.report = report
    }

    /// Adds the TLS handler for `context` with a witness before it and a guard after it.
    static func install(in pipeline: ChannelPipeline.SynchronousOperations, context: NIOSSLContext,
                        timeout: TimeAmount, report: @escaping Report) throws {
        let witness = PeerSpokeWitness()
        try pipeline.addHandler(witness)
        try pipeline.addHandler(NIOSSLServerHandler(context: context))
        try pipeline.addHandler(TLSHandshakeGuard(timeout: timeout, witness: witness, report: report))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            done = true
            deadline?.cancel()
            deadline = nil
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done {
            done = true
            deadline?.cancel()
            deadline = nil
            // A client that connects and closes without sending a byte (a TCP health probe, a
            // port check) has not tried a handshake: closed, not counted.
            if !(Self.isEndOfFile(error) && !witness.peerSpoke) { report(Self.describe(error), Self.peer(context.channel)) }
        }
        context.fireErrorCaught(error)
    }

    /// Whether the error is only "the peer closed during the handshake", with no TLS error.
    static func isEndOfFile(_ error: any Error) -> Bool {
        guard let tls = error as? NIOSSLError, case .handshakeFailed(.sslError(let stack)) = tls else { return false }
        return stack == [.eofDuringHandshake]
    }

    private func arm(_ context: ChannelHandlerContext) {
        guard deadline == nil, !done else { return }
        let channel = context.channel
        let report = self.report
        let seconds = Double(timeout.nanoseconds) / 1e9
        let peer = Self.peer(channel)
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, !self.done else { return }
            self.done = true
            report("the TLS handshake was not complete within \(seconds) s (request_head_timeout)", peer)
            channel.close(promise: nil)
        }
    }

    static func peer(_ channel: any Channel) -> String {
        guard let address = channel.remoteAddress else { return "unknown" }
        return "\(address.ipAddress ?? "unknown"):\(address.port ?? 0)"
    }

    /// The TLS library's reason in one line, at most 300 characters.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// Sits before the TLS handler and notes whether the peer sent any byte, so that the guard can
/// tell a port probe (connect, close) from a client that tried and failed. Removes itself at the
/// first read.
final class PeerSpokeWitness: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private(set) var peerSpoke = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        peerSpoke = true
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

import AgentTelemetry
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Owns the datagram channel: drains the queue, packs datagrams and writes them.
///
/// Flushes are serialised by the actor. Writes are not awaited (a stalled receiver must not
/// stall flushes); their completions update the health counters. While the channel reports that
/// it is not writable (its outbound buffer is full), lines stay queued, so the bounded queue
/// fills and further lines are dropped as `queue_full`.
actor StatsDSender {
    private let configuration: StatsDConfiguration
    private let group: any EventLoopGroup
    private let queue: StatsDLineQueue
    private let health: StatsDHealth
    private let logger: Logger
    private let maxPacketSize: Int

    private var channel: (any Channel)?
    private var address: SocketAddress?
    private var connectedTo: SocketAddress?
    private var lastResolve: ContinuousClock.Instant?
    private var closed = false
    /// Shared with write completions and the channel's error handler, which run on the event loop.
    private let flags = Flags()

    final class Flags: Sendable {
        /// Set after any send error: the next open re-resolves the host (at most once a second).
        let needsResolve = Atomic<Bool>(true)
        /// Datagram writes not yet completed, and who waits for them to reach zero.
        private let writes = Mutex<(outstanding: Int, waiter: CheckedContinuation<Void, Never>?)>((0, nil))

        func writeStarted() { writes.withLock { $0.outstanding += 1 } }

        func writeCompleted() {
            let waiter = writes.withLock { w -> CheckedContinuation<Void, Never>? in
                w.outstanding -= 1
                guard w.outstanding <= 0 else { return nil }
                defer { w.waiter = nil }
                return w.waiter
            }
            waiter?.resume()
        }

        /// Returns when no write is outstanding, or when the calling task is cancelled.
        func waitUntilWritten() async {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    let now = writes.withLock { w -> Bool in
                        if w.outstanding <= 0 || Task.isCancelled { return true }
                        w.waiter = c
                        return false
                    }
                    if now { c.resume() }
                }
            } onCancel: {
                let waiter = writes.withLock { w -> CheckedContinuation<Void, Never>? in
                    defer { w.waiter = nil }
                    return w.waiter
                }
                waiter?.resume()
            }
        }
    }

    init(configuration: StatsDConfiguration, group: any EventLoopGroup, queue: StatsDLineQueue, health: StatsDHealth, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.queue = queue
        self.health = health
        self.logger = logger
        self.maxPacketSize = configuration.effectiveMaxPacketSize
    }

    /// Sends everything queued. Does nothing after ``close()``.
    func flush() async {
        publishQueueDrops()
        guard !closed else { return }
        if let channel, channel.isActive, !channel.isWritable { return }
        let entries = queue.drain()
        guard !entries.isEmpty else { return }

        var packer = StatsDDatagramPacker(maxPacketSize: maxPacketSize)
        var tooLong = 0
        for entry in entries where !packer.append(entry) {
            tooLong += StatsDDatagramPacker.lineCount(entry)
        }
        if tooLong > 0 { health.droppedTooLong.increment(by: tooLong) }
        let datagrams = packer.finish()
        guard !datagrams.isEmpty else { return }

        guard let channel = await openIfNeeded() else {
            let lines = datagrams.reduce(0) { $0 + StatsDDatagramPacker.lineCount($1) }
            health.droppedSendError.increment(by: lines)
            return
        }
        let health = self.health
        let flags = self.flags
        for datagram in datagrams {
            var buffer = channel.allocator.buffer(capacity: datagram.count)
            buffer.writeBytes(datagram)
            let lines = StatsDDatagramPacker.lineCount(datagram)
            flags.writeStarted()
            channel.write(buffer).whenComplete { result in
                flags.writeCompleted()
                switch result {
                case .success:
                    health.linesSent.increment(by: lines)
                    health.datagramsSent.increment()
                case .failure(let error):
                    flags.needsResolve.store(true, ordering: .relaxed)
                    health.droppedSendError.increment(by: lines)
                    health.sendFailed(error, what: "sending a datagram")
                }
            }
        }
        channel.flush()
    }

    /// Waits (up to `timeout`) for written datagrams to complete, then closes the channel.
    /// Later flushes do nothing.
    func close(timeout: Duration = .seconds(1)) async {
        publishQueueDrops()
        closed = true
        // Wait for the written datagrams, at most `timeout`: whichever child finishes first
        // cancels the other (the write waiter returns on cancellation).
        let flags = self.flags
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await flags.waitUntilWritten() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        if let channel {
            self.channel = nil
            connectedTo = nil
            try? await channel.close()
        }
    }

    private func publishQueueDrops() {
        let dropped = queue.droppedLines.exchange(0, ordering: .relaxed)
        if dropped > 0 { health.droppedQueueFull.increment(by: dropped) }
    }

    /// The open channel, opening (and for UDP resolving) when needed; `nil` when that failed.
    /// After a send error a UDP host is resolved again (at most once a second) and the channel
    /// reconnected when the address changed.
    private func openIfNeeded() async -> (any Channel)? {
        if let channel, channel.isActive, !reresolveDue() { return channel }
        let target: SocketAddress
        do {
            target = try await resolveTarget()
        } catch {
            health.sendFailed(error, what: "resolving \(configuration.host)")
            if let channel, channel.isActive { return channel }
            return nil
        }
        if let channel, channel.isActive, connectedTo == target { return channel }
        if let old = channel {
            channel = nil
            connectedTo = nil
            try? await old.close()
        }
        let health = self.health
        let flags = self.flags
        let bootstrap = DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(StatsDChannelErrorHandler { error in
                        flags.needsResolve.store(true, ordering: .relaxed)
                        health.sendFailed(error, what: "sending (error reported by the socket)")
                    })
                }
            }
        do {
            let opened = try await bootstrap.connect(to: target).get()
            channel = opened
            connectedTo = target
            return opened
        } catch {
            flags.needsResolve.store(true, ordering: .relaxed)
            health.sendFailed(error, what: "connecting to \(target)")
            return nil
        }
    }

    /// Whether a UDP host should be resolved again now: after a send error, once a second at most.
    private func reresolveDue() -> Bool {
        guard case .udp = configuration.transport, flags.needsResolve.load(ordering: .relaxed) else { return false }
        guard let lastResolve else { return true }
        return lastResolve.duration(to: .now) >= .seconds(1)
    }

    private func resolveTarget() async throws -> SocketAddress {
        switch configuration.transport {
        case .unixDomainSocket(let path):
            return try SocketAddress(unixDomainSocketPath: path)
        case .udp:
            if let address, !reresolveDue() { return address }
            let host = configuration.host
            let port = configuration.port
            lastResolve = .now
            do {
                // The future-based call, not the async one: a final flush after cancellation must
                // still be able to resolve (the look-up is bounded by the resolver's own timeout).
                let resolved = try await NIOThreadPool.singleton.runIfActive(eventLoop: group.next()) {
                    try SocketAddress.makeAddressResolvingHost(host, port: port)
                }.get()
                flags.needsResolve.store(false, ordering: .relaxed)
                if let address, address != resolved {
                    logger.info("statsd host \(host) now resolves to \(resolved) (was \(address))")
                }
                address = resolved
                return resolved
            } catch {
                // Keep sending to the last good address when re-resolution fails.
                if let address { return address }
                throw error
            }
        }
    }
}

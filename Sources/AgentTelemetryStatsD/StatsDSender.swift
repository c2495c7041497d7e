import AgentTelemetry
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Owns the datagram channel: drains the queue, packs datagrams and writes them.
///
/// A UDP host is resolved off the event loop. After a failed look-up the next one waits
/// (1 s, doubling up to 60 s, reset by a success); flushes meanwhile make no look-up and drop
/// their lines, counted as `send_error` (or keep sending to the last good address, when there
/// is one). Flushes are serialised by the actor. Writes are not awaited (a stalled receiver must not
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
    /// Consecutive failed look-ups, and when the next one may be made.
    private var resolveFailures = 0
    private var nextResolve: ContinuousClock.Instant?
    private let resolver: Resolver
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

    /// Resolves a host and port to one address (blocking; run on a thread pool).
    typealias Resolver = @Sendable (_ host: String, _ port: Int) throws -> SocketAddress

    /// The system resolver (`getaddrinfo`).
    static let systemResolver: Resolver = { host, port in try SocketAddress.makeAddressResolvingHost(host, port: port) }

    /// The wait after the first failed look-up; it doubles per further failure.
    static let resolveBackoffStart: Duration = .seconds(1)
    /// The longest wait between look-ups while the host does not resolve.
    static let resolveBackoffMax: Duration = .seconds(60)

    /// The wait before the next look-up after `failures` consecutive failed ones (≥ 1).
    static func resolveBackoff(afterFailures failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 16)
        return min(resolveBackoffStart * (1 << exponent), resolveBackoffMax)
    }

    init(configuration: StatsDConfiguration, group: any EventLoopGroup, queue: StatsDLineQueue, health: StatsDHealth,
         logger: Logger, resolver: @escaping Resolver = StatsDSender.systemResolver) {
        self.resolver = resolver
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

    /// The open channel, opening (and for UDP resolving) when needed; `nil` when that failed or
    /// a look-up is not due yet. After a send error a UDP host is resolved again (at most once a
    /// second, and not before the backoff after failed look-ups) and the channel reconnected
    /// when the address changed.
    private func openIfNeeded() async -> (any Channel)? {
        if let channel, channel.isActive, !reresolveDue() { return channel }
        guard let target = await resolveTarget() else {
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

    /// Whether a UDP host should be resolved again now: after a send error, once a second at
    /// most, and never before the backoff after failed look-ups has passed.
    private func reresolveDue(now: ContinuousClock.Instant = .now) -> Bool {
        guard case .udp = configuration.transport, flags.needsResolve.load(ordering: .relaxed) else { return false }
        if let nextResolve, now < nextResolve { return false }
        guard let lastResolve else { return true }
        return lastResolve.duration(to: now) >= .seconds(1)
    }

    /// The address to send to; `nil` when it is unknown (the look-up failed, or is not due yet
    /// after failures). A failed look-up is counted and logged (rate-limited) here.
    private func resolveTarget() async -> SocketAddress? {
        switch configuration.transport {
        case .unixDomainSocket(let path):
            do {
                return try SocketAddress(unixDomainSocketPath: path)
            } catch {
                health.sendFailed(error, what: "using the socket path")
                return nil
            }
        case .udp:
            if let address, !reresolveDue() { return address }
            let now = ContinuousClock.now
            if let nextResolve, now < nextResolve { return address }
            let host = configuration.host
            let port = configuration.port
            let resolver = self.resolver
            lastResolve = now
            do {
                // The future-based call, not the async one: a final flush after cancellation must
                // still be able to resolve (the look-up is bounded by the resolver's own timeout).
                let resolved = try await NIOThreadPool.singleton.runIfActive(eventLoop: group.next()) {
                    try resolver(host, port)
                }.get()
                flags.needsResolve.store(false, ordering: .relaxed)
                resolveFailures = 0
                nextResolve = nil
                if let address, address != resolved {
                    logger.info("statsd host \(host) now resolves to \(resolved) (was \(address))")
                }
                address = resolved
                return resolved
            } catch {
                resolveFailures += 1
                let wait = Self.resolveBackoff(afterFailures: resolveFailures)
                nextResolve = ContinuousClock.now.advanced(by: wait)
                health.resolveFailed(error, host: host, retryIn: wait, keepingAddress: address != nil)
                // Keep sending to the last good address when re-resolution fails.
                return address
            }
        }
    }
}

import AgentTelemetry
import Logging
import MCP

import struct Foundation.Data

/// An MCP `Transport` that measures every request crossing it and forwards the bytes unchanged.
///
/// Put it around the transport a `Client` or a `Server` connects with — that is the whole change:
///
/// ```swift
/// try await client.connect(transport: StdioTransport().instrumented(.client, telemetry: telemetry))
/// try await server.start(transport: StdioTransport().instrumented(.server, telemetry: telemetry))
/// ```
///
/// What it does with each message, in order of cost:
/// - reads the top level of the JSON-RPC object in place (``JSONRPCMessageView``): `id` and
///   `method`; a request's `params.name` only for `tools/call`, a response's `isError` only when
///   it answers a `tools/call`, `protocolVersion` only around `initialize`;
/// - pairs a response with its request by direction and id, in a table bounded in count
///   (`maxInFlight`) and in age (`timeout`): a request nobody answers is counted as a timeout
///   once its bound has passed and leaves nothing behind;
/// - emits one ``MCPOperation`` per request (on the side given, for requests in both
///   directions: a client also answers `sampling/createMessage` or `roots/list`), and
///   ``MCPSessionStarted``/``MCPSessionEnded`` around the connection.
///
/// Exemplars: a request sent from a task with a current trace (a span of the application's
/// tracer, found by the `ExemplarSource` as everywhere else in the library) keeps that trace, and
/// its operation's exemplar points to it, even though the response is read on the transport's
/// own task.
public actor InstrumentedTransport<Base: Transport, C: Clock>: Transport where C.Duration == Duration {
    /// The logger the SDK's client or server logs through (the wrapped transport's is isolated to
    /// it, so this one is given; by default nothing is logged, as with the SDK's own transports).
    public nonisolated let logger: Logger
    /// The transport that carries the bytes.
    public let base: Base
    /// The side this transport sits on.
    public nonisolated let side: MCPSide
    /// `network.transport` of every operation (`pipe` for stdio, `tcp` for HTTP), nil in process.
    public nonisolated let networkTransport: String?

    private let telemetry: Telemetry
    private let clock: C
    private let exemplarSource: (any ExemplarSource)?
    private let sweepInterval: Duration
    private var inFlight: InFlightRequests<C.Instant>
    private var protocolVersion: String?
    private var sessionStart: C.Instant?
    private var sweeper: Task<Void, Never>?
    private var inFlightWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// Wraps `base`.
    /// - Parameters:
    ///   - side: the side whose metrics this transport feeds (`mcp.client.*` or `mcp.server.*`).
    ///   - telemetry: where the events go.
    ///   - timeout: how long a request may stay unanswered before it is counted as a timeout.
    ///   - maxInFlight: most requests tracked at once; past it, the oldest is counted as a timeout.
    ///   - networkTransport: `network.transport`; by default `pipe` for `StdioTransport`, `tcp`
    ///     for the HTTP and network transports, none for the in-memory one.
    ///   - clock: measures durations and drives timeouts (a test passes a manual clock).
    ///   - exemplarSource: finds the trace current when a request is sent; nil turns exemplars off.
    ///   - logger: what the SDK logs through this transport.
    public init(_ base: Base, side: MCPSide, telemetry: Telemetry, timeout: Duration = .seconds(60),
                maxInFlight: Int = 1024, networkTransport: String? = Base.defaultNetworkTransport,
                clock: C, exemplarSource: (any ExemplarSource)? = ContextExemplarSource(),
                logger: Logger = Logger(label: "agent-telemetry.mcp", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.base = base
        self.logger = logger
        self.side = side
        self.telemetry = telemetry
        self.clock = clock
        self.networkTransport = networkTransport
        self.exemplarSource = exemplarSource
        self.inFlight = InFlightRequests(capacity: maxInFlight, timeout: timeout)
        // Often enough that a timeout is counted within a quarter of its bound, at most once a second.
        self.sweepInterval = min(timeout / 4, .seconds(1))
    }

    /// Requests waiting for their response now (tests read it to show the table stays bounded).
    public var requestsInFlight: Int { inFlight.count }
    /// Bookkeeping slots held, answered ones not yet reclaimed included (bounded by about three
    /// times `maxInFlight`).
    public var trackingSlots: Int { inFlight.slotCount }

    // MARK: Transport

    public func connect() async throws {
        try await base.connect()
        startSession()
    }

    public func disconnect() async {
        endSession(errorType: nil)
        await base.disconnect()
    }

    public func send(_ data: Data) async throws {
        let observed = observe(data, outgoing: true)
        do {
            try await base.send(data)
        } catch {
            // A request that never left, or a response that never reached the peer, ends here as a
            // transport failure.
            for key in observed.started {
                if let entry = inFlight.remove(key) { record(entry, .transportFailure) }
            }
            for (entry, _) in observed.answered { record(entry, .transportFailure) }
            throw error
        }
        // A request received here ends when its response is sent (the conventions' server duration).
        for (entry, outcome) in observed.answered { record(entry, outcome) }
        if !observed.started.isEmpty { resumeInFlightWaiters() }
    }

    public func receive() -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        // The Transport protocol hands out a stream and gives no scope to run in, so the
        // forwarding loop is a task of its own (as in the SDK's transports); it ends with the
        // inner stream and is cancelled when the consumer stops listening.
        let forwarder = Task { [base] in
            do {
                for try await data in await base.receive() {
                    self.observeIncoming(data)
                    continuation.yield(data)
                }
                // End of input: the peer closed the connection (stdio: end of file).
                self.endSession(errorType: nil)
                continuation.finish()
            } catch MCPError.connectionClosed {
                // The peer closed the connection (the in-memory transport says so with this error).
                self.endSession(errorType: nil)
                continuation.finish(throwing: MCPError.connectionClosed)
            } catch {
                self.connectionFailed()
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in forwarder.cancel() }
        return stream
    }

    /// Returns once at least `count` requests are in flight, the last one's bytes handed to the
    /// transport underneath, or the session has ended (tests wait for a request to be out instead
    /// of sleeping).
    func waitUntilRequestsInFlight(atLeast count: Int) async {
        if inFlight.count >= count { return }
        await withCheckedContinuation { inFlightWaiters.append((count, $0)) }
    }

    private func resumeInFlightWaiters() {
        guard !inFlightWaiters.isEmpty else { return }
        let current = inFlight.count
        inFlightWaiters.removeAll { waiter in
            guard current >= waiter.count else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    // MARK: Measuring

    private func observeIncoming(_ data: Data) {
        for (entry, outcome) in observe(data, outgoing: false).answered { record(entry, outcome) }
    }

    /// What one message did to the table: the requests it started, and the requests it answers
    /// with their outcomes (recorded by the caller: a response this side sends counts once sent).
    private struct Observed {
        var started: [InFlightRequests<C.Instant>.Key] = []
        var answered: [(InFlightRequests<C.Instant>.Entry, MCPOutcome)] = []
    }

    /// Reads one message (or batch) and updates the table.
    private func observe(_ data: Data, outgoing: Bool) -> Observed {
        var observed = Observed()
        JSONRPCMessageView.forEachMessage(in: data) { message in
            if message.isRequest, let id = message.id, let method = message.method {
                let isToolCall = message.methodIs("tools/call")
                if message.methodIs("initialize"), let version = message.protocolVersion { protocolVersion = version }
                let key = InFlightRequests<C.Instant>.Key(outgoing: outgoing, id: id)
                let entry = InFlightRequests<C.Instant>.Entry(
                    method: method, toolName: isToolCall ? message.paramsName : nil, start: clock.now,
                    trace: outgoing ? exemplarSource?.currentTrace() : nil,
                    agent: outgoing ? WorkContext.current.agent : nil, outgoing: outgoing)
                for displaced in inFlight.insert(key, entry) { record(displaced, .timeout) }
                observed.started.append(key)
            } else if message.isResponse, let id = message.id {
                // A response travels the other way from its request.
                guard let entry = inFlight.remove(.init(outgoing: !outgoing, id: id)) else { return }
                let outcome: MCPOutcome
                if let code = message.errorCode {
                    outcome = .jsonRPCError(code: code)
                } else if entry.toolName != nil, message.resultIsError {
                    outcome = .toolError
                } else {
                    outcome = .success
                }
                if entry.method == "initialize", let version = message.protocolVersion { protocolVersion = version }
                observed.answered.append((entry, outcome))
            } else if message.isNotification, message.methodIs("notifications/cancelled"),
                      let id = message.cancelledRequestID {
                // Whoever sent the request cancels it.
                if let entry = inFlight.remove(.init(outgoing: outgoing, id: id)) { record(entry, .cancelled) }
            }
        }
        return observed
    }

    /// Counts every request whose bound has passed as a timeout.
    func expireOverdueRequests() {
        let now = clock.now
        for entry in inFlight.expire(now: now) { record(entry, .timeout, end: now) }
    }

    private func record(_ entry: InFlightRequests<C.Instant>.Entry, _ outcome: MCPOutcome, end: C.Instant? = nil) {
        let event = MCPOperation(
            side: side, method: entry.method, toolName: entry.toolName, outcome: outcome,
            duration: entry.start.duration(to: end ?? clock.now), networkTransport: networkTransport,
            protocolVersion: protocolVersion, agentName: entry.agent)
        if let trace = entry.trace { telemetry.emit(event, trace: trace) } else { telemetry.emit(event) }
    }

    // MARK: Session

    private func startSession() {
        guard sessionStart == nil else { return }
        sessionStart = clock.now
        telemetry.emit(MCPSessionStarted(side: side, networkTransport: networkTransport))
        let interval = sweepInterval
        let clock = clock
        // A timer for the requests nobody answers. The Transport protocol gives no structured scope
        // (connect returns, nothing is awaited until disconnect), so it is a task owned by this
        // transport: cancelled by disconnect or a broken connection, and it holds the transport weakly.
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: interval) } catch { return }
                guard let self else { return }
                await self.expireOverdueRequests()
            }
        }
    }

    private func connectionFailed() {
        endSession(errorType: MCPOutcome.transportFailure.errorType)
    }

    private func endSession(errorType: String?) {
        sweeper?.cancel()
        sweeper = nil
        // What is still in flight will not be answered on this connection.
        for entry in inFlight.removeAll() { record(entry, .transportFailure) }
        for waiter in inFlightWaiters { waiter.continuation.resume() }
        inFlightWaiters.removeAll()
        guard let start = sessionStart else { return }
        sessionStart = nil
        telemetry.emit(MCPSessionEnded(side: side, duration: start.duration(to: clock.now), networkTransport: networkTransport,
                                       protocolVersion: protocolVersion, errorType: errorType))
    }
}

extension InstrumentedTransport where C == ContinuousClock {
    /// Wraps `base`, measuring with the continuous clock. See the full initialiser.
    public init(_ base: Base, side: MCPSide, telemetry: Telemetry, timeout: Duration = .seconds(60),
                maxInFlight: Int = 1024, networkTransport: String? = Base.defaultNetworkTransport,
                exemplarSource: (any ExemplarSource)? = ContextExemplarSource(),
                logger: Logger = Logger(label: "agent-telemetry.mcp", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.init(base, side: side, telemetry: telemetry, timeout: timeout, maxInFlight: maxInFlight,
                  networkTransport: networkTransport, clock: ContinuousClock(), exemplarSource: exemplarSource, logger: logger)
    }
}

extension Transport {
    /// This transport, measured on `side`: the one-line way to instrument a client or a server.
    ///
    /// ```swift
    /// try await client.connect(transport: transport.instrumented(.client, telemetry: telemetry))
    /// ```
    public nonisolated func instrumented(_ side: MCPSide, telemetry: Telemetry, timeout: Duration = .seconds(60),
                                         maxInFlight: Int = 1024) -> InstrumentedTransport<Self, ContinuousClock> {
        InstrumentedTransport(self, side: side, telemetry: telemetry, timeout: timeout, maxInFlight: maxInFlight)
    }

    /// `network.transport` for this kind of transport: `pipe` for stdio, `tcp` for the network and
    /// HTTP transports, nil otherwise (in process, or unknown).
    public static var defaultNetworkTransport: String? {
        #if canImport(Darwin) || canImport(Glibc) || canImport(Musl)
        if Self.self == StdioTransport.self { return "pipe" }
        #endif
        if Self.self == HTTPClientTransport.self { return "tcp" }
        return nil
    }
}

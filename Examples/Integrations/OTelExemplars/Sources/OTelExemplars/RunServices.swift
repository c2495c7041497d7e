public import AgentTelemetry
public import Logging
public import ServiceLifecycle

/// Runs swift-otel's tracing service and `telemetry` in one `ServiceGroup` while `body` runs,
/// then shuts the group down gracefully and waits for it; returns what `body` returns.
///
/// The group stops its services in reverse order: `telemetry` first (its bus delivers every
/// event already emitted), then the tracer's span processing. `body` runs in the calling task, so
/// the spans it starts are the current ones where it emits.
///
/// A long-running server instead puts both, with its own services, in the group it runs until a
/// signal: `ServiceGroup(services: [otel, telemetry, server], gracefulShutdownSignals: [.sigterm], logger: logger)`.
///
/// - Parameters:
///   - otel: the service ``OTelTracingSetup/bootstrap(configuration:environment:)`` returned.
///   - telemetry: the pipeline the application emits to.
///   - logger: the group's logger.
///   - body: the application's work.
/// - Throws: what `body` throws, else what a service throws.
public func runServices<R>(
    otel: some Service,
    telemetry: Telemetry,
    logger: Logger,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> R
) async throws -> R {
    let group = ServiceGroup(services: [otel, telemetry], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self, returning: R.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: Result<R, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return try result.get()
    }
}

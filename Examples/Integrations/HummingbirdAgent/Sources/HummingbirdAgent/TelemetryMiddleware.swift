import AgentTelemetry
import Hummingbird

/// Emits `RequestHandled` for every request: the route pattern (never the raw path, which would
/// make a series per URL), the method, the status and the duration. Errors thrown by a route are
/// recorded with their HTTP status (500 for anything else) and rethrown unchanged.
struct TelemetryMiddleware<Context: RequestContext>: RouterMiddleware {
    let telemetry: Telemetry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: Int(response.status.code), since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            record(request, context, status: status, since: start)
            throw error
        }
    }

    /// The label of requests that matched no route. Hummingbird's not-found responder names its
    /// path "NotFound"; both that and an absent path are labelled with this one value.
    static var unmatched: String { "unmatched" }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let endpoint = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? Self.unmatched
        telemetry.emit(RequestHandled(
            endpoint: endpoint, method: request.method.rawValue,
            status: status, duration: .now - start))
    }
}

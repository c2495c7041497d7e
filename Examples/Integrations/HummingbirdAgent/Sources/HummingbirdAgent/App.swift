import AgentTelemetry
import AgentTelemetryPrometheus
import Hummingbird
import Logging
import ServiceLifecycle

/// A stand-in for an agent's tool: searches a tiny in-memory corpus.
enum Corpus {
    static let documents = ["Swift concurrency", "Structured concurrency in Swift", "Prometheus exposition", "OpenTelemetry metrics"]

    struct EmptyQuery: HTTPResponseError {
        var status: HTTPResponse.Status { .badRequest }
        func response(from request: Request, context: some RequestContext) throws -> Response {
            Response(status: status, body: .init(byteBuffer: ByteBuffer(string: "missing ?q=\n")))
        }
    }

    static func search(_ query: String) async throws -> [String] {
        guard !query.isEmpty else { throw EmptyQuery() }
        try await Task.sleep(for: .milliseconds(5))
        return documents.filter { $0.localizedCaseInsensitiveContains(query) }
    }
}

@main
struct HummingbirdAgent {
    static func main() async throws {
        let logger = Logger(label: "hummingbird-agent")
        let telemetry = try Telemetry(logger: logger)
        let prometheus = try PrometheusExporter(
            registry: telemetry.registry, configuration: .init(port: 9095), logger: logger)

        let router = Router()
        router.add(middleware: TelemetryMiddleware(telemetry: telemetry))
        router.get("/search") { request, _ -> String in
            let query = request.uri.queryParameters.get("q") ?? ""
            // The tool call is measured: duration, outcome, and the error type when it throws.
            let hits = try await telemetry.track(tool: "corpus_search", vertical: .research) {
                try await Corpus.search(query)
            }
            return hits.joined(separator: "\n") + "\n"
        }
        router.get("/health") { _, _ in "ok\n" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)), logger: logger)

        // One ServiceGroup for everything. It stops services in reverse order: first the HTTP
        // server (no new requests, so no new events), then Telemetry (the bus drains), then the
        // exporter (which serves scrapes until then).
        let group = ServiceGroup(
            services: [prometheus, telemetry, app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }
}

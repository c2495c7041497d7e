import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real InfluxDB 1.x (`influxd`, Debian package `influxdb`) on free loopback ports, with its data in
/// a temporary directory, for one test.
final class InfluxDBServer: Sendable {
    /// `influxd` on PATH or in /usr/bin, /usr/sbin.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            if FileManager.default.isExecutableFile(atPath: dir + "/influxd") { return dir + "/influxd" }
        }
        return nil
    }()

    /// Whether the peer is installed; prints why the test is skipped when not (once), in the form
    /// every skipped test of this repository uses.
    static let available: Bool = {
        if executable == nil {
            print("SKIPPED: influxd (Debian package influxdb) is not installed; install the test peers with `bash .ci/install-peers` (from the repository root)")
        }
        return executable != nil
    }()

    let process: Process
    let directory: URL
    /// The HTTP API's port.
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts `influxd` and waits (at most `timeout`) until `/ping` answers.
    static func start(timeout: Duration = .seconds(60)) async throws -> InfluxDBServer {
        let port = try await freeLoopbackPort()
        let rpcPort = try await freeLoopbackPort()
        let server = try InfluxDBServer(port: port, rpcPort: rpcPort)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let status = try? await server.request("/ping").status, status == 204 { return server }
            guard server.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = server.log()
        server.stop()
        throw StartError(log: log)
    }

    struct StartError: Error, CustomStringConvertible {
        var log: String
        var description: String { "influxd did not answer /ping:\n" + log.suffix(2000) }
    }

    private init(port: Int, rpcPort: Int) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("influxd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.port = port
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpcPort)"
            [meta]
              dir = "\(directory.path)/meta"
            [data]
              dir = "\(directory.path)/data"
              wal-dir = "\(directory.path)/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:\(port)"
              log-enabled = false
            [monitor]
              store-enabled = false
            """
        let configFile = directory.appendingPathComponent("influxdb.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let logFile = directory.appendingPathComponent("influxd.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable ?? "/usr/bin/influxd")
        process.arguments = ["-config", configFile.path]
        process.standardOutput = handle
        process.standardError = handle
        let directory = self.directory
        process.terminationHandler = { _ in try? FileManager.default.removeItem(at: directory) }
        try process.run()
    }

    /// What influxd logged.
    func log() -> String { (try? String(contentsOf: directory.appendingPathComponent("influxd.log"), encoding: .utf8)) ?? "" }

    /// Sends SIGTERM (nothing once it has exited); its directory goes when it has exited.
    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// A request to the HTTP API: status and body.
    func request(_ pathAndQuery: String, method: HTTPMethod = .GET) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: baseURL + pathAndQuery)
        request.method = method
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Runs InfluxQL; the `series` of the first result (each with `name`, `tags`, `columns`, `values`).
    func query(_ influxQL: String, database: String? = nil) async throws -> [[String: Any]] {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "q", value: influxQL)] + (database.map { [URLQueryItem(name: "db", value: $0)] } ?? [])
        let encoded = components.percentEncodedQuery ?? ""
        let (status, body) = try await request("/query?" + encoded, method: .POST)
        guard status == 200, let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let results = json["results"] as? [[String: Any]], let first = results.first else {
            throw QueryError(status: status, body: body)
        }
        if let error = first["error"] as? String { throw QueryError(status: status, body: error) }
        return first["series"] as? [[String: Any]] ?? []
    }

    struct QueryError: Error, CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "InfluxQL query failed (HTTP \(status)): \(body.prefix(500))" }
    }

    /// A loopback port nobody listens on at the moment: bound with port 0, read, closed.
    static func freeLoopbackPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try? await channel.close().get()
        guard let port else { throw StartError(log: "no local port") }
        return port
    }
}

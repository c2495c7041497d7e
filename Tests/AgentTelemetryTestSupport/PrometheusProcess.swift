import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A GET (or other method) with AsyncHTTPClient; returns status, headers and the whole body.
public func get(_ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: Data) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let body = try await response.body.collect(upTo: 64 << 20)
    return (Int(response.status.code), response.headers, Data(buffer: body))
}

/// A POST of `body` with AsyncHTTPClient; returns the status and the whole response body.
public func post(_ url: String, body: Data, headers: [(String, String)] = []) async throws -> (status: Int, body: Data) {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    for (k, v) in headers { request.headers.add(name: k, value: v) }
    request.body = .bytes(ByteBuffer(data: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
    let received = try await response.body.collect(upTo: 64 << 20)
    return (Int(response.status.code), Data(buffer: received))
}

/// A Prometheus server on a free loopback port with storage in a temporary directory.
public final class PrometheusProcess: @unchecked Sendable {
    let process = Process()
    let directory: URL
    public let port: Int
    let logFile: URL

    /// A server scraping `scrapeTarget` every second as job `agent`, evaluating `ruleFiles`.
    public convenience init(scrapeTarget: String, ruleFiles: [String] = [], extraFlags: [String] = []) throws {
        let rules = ruleFiles.isEmpty ? "" : "rule_files:\n" + ruleFiles.map { "  - '\($0)'\n" }.joined()
        try self.init(extraFlags: extraFlags) { _ in
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            \(rules)scrape_configs:
              - job_name: agent
                static_configs:
                  - targets: ['\(scrapeTarget)']
            """
        }
    }

    /// A server with the caller's configuration file, written once the port it will listen on is
    /// known (`configuration` receives it, e.g. for a job that scrapes the server itself).
    public init(extraFlags: [String] = [], configuration: (_ port: Int) -> String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try FreePort.find()
        let configURL = directory.appendingPathComponent("prometheus.yml")
        try configuration(port).write(to: configURL, atomically: true, encoding: .utf8)
        logFile = directory.appendingPathComponent("prometheus.log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: Peers.prometheus ?? "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(configURL.path)", "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ] + extraFlags
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// SIGTERM; the wait for the exit and the clean-up happen on a thread of its own, so a test
    /// task never blocks one of the few cooperative threads.
    public func stop() {
        let process = self.process, directory = self.directory
        Thread.detachNewThread {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    public func log() -> String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// `data.groups` of `/api/v1/rules`.
    public func ruleGroups() async throws -> [[String: Any]] {
        guard let url = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/rules")?.url?.absoluteString else { return [] }
        let r = try await get(url)
        let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        return ((json?["data"] as? [String: Any])?["groups"] as? [[String: Any]]) ?? []
    }

    /// Runs an instant query; the first sample's value, or nil when the result is empty.
    public func query(_ promQL: String) async throws -> Double? {
        let result = try await api("/api/v1/query", ["query": promQL])
        guard let first = result.first, let value = first["value"] as? [Any], value.count == 2,
              let text = value[1] as? String else { return nil }
        return Double(text)
    }

    /// The value of `promQL` once it has one, or nil after `timeout`. A scrape that times out on
    /// a loaded machine (1 s scrape timeout) leaves its series stale for a moment, and an instant
    /// query then answers nothing, even after an earlier scrape succeeded: so a test polls.
    public func settledQuery(_ promQL: String, timeout: Duration = .seconds(180)) async -> Double? {
        var value: Double?
        _ = await eventually(timeout: timeout, every: .milliseconds(250)) {
            value = try? await query(promQL)
            return value != nil
        }
        return value
    }

    /// Calls the HTTP API and returns `data.result`.
    public func api(_ path: String, _ params: [String: String]) async throws -> [[String: Any]] {
        var components = URLComponents(string: "http://127.0.0.1:\(port)\(path)")
        components?.queryItems = params.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let url = components?.url?.absoluteString else { return [] }
        let r = try await get(url)
        let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        guard json?["status"] as? String == "success" else {
            throw PrometheusAPIError(message: String(decoding: r.body, as: UTF8.self))
        }
        return ((json?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
    }

    /// `/api/v1/query_exemplars` for `promQL` over the last `seconds`: `data`, one entry per
    /// series with its `seriesLabels` and `exemplars` (each with `labels`, `value`, `timestamp`).
    /// Prometheus keeps exemplars only with `--enable-feature=exemplar-storage`.
    public func exemplars(_ promQL: String, lastSeconds seconds: Double = 600) async throws -> [[String: Any]] {
        let now = Date().timeIntervalSince1970
        var components = URLComponents(string: "http://127.0.0.1:\(port)/api/v1/query_exemplars")
        components?.queryItems = [URLQueryItem(name: "query", value: promQL),
                                  URLQueryItem(name: "start", value: String(now - seconds)),
                                  URLQueryItem(name: "end", value: String(now + 60))]
        guard let url = components?.url?.absoluteString else { return [] }
        let r = try await get(url)
        let json = try JSONSerialization.jsonObject(with: r.body) as? [String: Any]
        guard json?["status"] as? String == "success" else {
            throw PrometheusAPIError(message: String(decoding: r.body, as: UTF8.self))
        }
        return json?["data"] as? [[String: Any]] ?? []
    }

    /// Prometheus answered with an error status.
    public struct PrometheusAPIError: Error { public let message: String }
}

/// Finds a free loopback TCP port.
public enum FreePort {
    /// A port that was free a moment ago.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw RawTCP.POSIXFailure(call: "bind") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

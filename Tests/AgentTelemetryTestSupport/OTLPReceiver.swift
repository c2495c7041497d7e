import Foundation

/// The Python OTLP receiver (`Tests/peers/otlp_receiver.py`) run as a child process.
///
/// It decodes every request with the official opentelemetry-proto classes and appends a JSON
/// summary per request to a file the tests read back.
public final class OTLPReceiver: @unchecked Sendable {
    /// Whether python3 with `opentelemetry-proto` is installed (checked once).
    public static let available: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import opentelemetry.proto, google.protobuf"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            print(Peers.skipLine("python3 (for the OTLP receiver)"))
            return false
        }
        p.waitUntilExit()
        if p.terminationStatus != 0 { print(Peers.skipLine("python opentelemetry-proto")) }
        return p.terminationStatus == 0
    }()

    static let script = repositoryRoot.appendingPathComponent("Tests/peers/otlp_receiver.py")

    public let port: Int
    public let outFile: URL
    /// Whether it serves HTTPS.
    public let servesTLS: Bool
    private let process: Process

    /// Starts the receiver and waits (off the cooperative thread pool) for it to print its port.
    /// With `blackhole` it serves nothing: connections to its port never complete (a collector
    /// host that does not answer). With `tls` it serves HTTPS with that certificate and key,
    /// and with a `clientCA` it requires a client certificate signed by it (mutual TLS).
    public init(script: String = "", compact: Bool = false, port: Int = 0, outFile: URL? = nil,
                blackhole: Bool = false, tls: (certificate: String, key: String, clientCA: String?)? = nil) async throws {
        self.servesTLS = tls != nil
        self.outFile = outFile ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("otlp-\(UUID().uuidString).jsonl")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var args = ["python3", Self.script.path, self.outFile.path, "--port", String(port)]
        if !script.isEmpty { args += ["--script", script] }
        if compact { args.append("--compact") }
        if blackhole { args.append("--blackhole") }
        if let tls {
            args += ["--tls-cert", tls.certificate, "--tls-key", tls.key]
            if let ca = tls.clientCA { args += ["--tls-client-ca", ca] }
        }
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        process = p
        let handle = out.fileHandleForReading
        let line: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                }
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
        guard let parsed = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(p.processIdentifier, SIGKILL)
            throw ReceiverError.noPort
        }
        self.port = parsed
    }

    public enum ReceiverError: Error { case noPort }

    /// `http://127.0.0.1:<port>` (`https` when it serves TLS).
    public var endpoint: String { "\(servesTLS ? "https" : "http")://127.0.0.1:\(port)" }

    /// Every request recorded so far.
    public func records() -> [[String: Any]] {
        guard let data = try? Data(contentsOf: outFile), let text = String(data: data, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Polls until at least `count` requests were recorded or `timeout` passes (a bound for a
    /// machine under load; it returns as soon as they are there).
    @discardableResult
    public func waitForRecords(_ count: Int, timeout: Duration = .seconds(180)) async -> [[String: Any]] {
        let end = ContinuousClock.now.advanced(by: timeout)
        while true {
            let r = records()
            if r.count >= count || ContinuousClock.now >= end { return r }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills the process (SIGKILL: a test peer needs no cleanup, and a signal mask inherited
    /// from the test runner cannot delay it) and waits for it to exit.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: outFile)
    }
}

/// Navigation helpers over the MessageToDict form of `ExportMetricsServiceRequest`.
public enum Decoded {
    /// The decoded requests of records the receiver answered with a whole 200 (a stalled or
    /// cut-off answer is not an acceptance: the exporter must send those points again).
    public static func acceptedRequests(_ records: [[String: Any]]) -> [[String: Any]] {
        records.filter(isAccepted).compactMap { $0["request"] as? [String: Any] }
    }

    /// Whether the receiver answered this record with a whole 200.
    public static func isAccepted(_ record: [String: Any]) -> Bool {
        (record["status"] as? Int) == 200 && !["stall", "cut"].contains(record["hostile"] as? String)
    }

    public static func resourceMetrics(_ request: [String: Any]) -> [[String: Any]] {
        request["resource_metrics"] as? [[String: Any]] ?? []
    }

    /// All Metric messages of the requests, in order.
    public static func metrics(_ requests: [[String: Any]]) -> [[String: Any]] {
        requests.flatMap(resourceMetrics).flatMap { ($0["scope_metrics"] as? [[String: Any]]) ?? [] }
            .flatMap { ($0["metrics"] as? [[String: Any]]) ?? [] }
    }

    /// The metric named `name` (first occurrence).
    public static func metric(_ name: String, in requests: [[String: Any]]) -> [String: Any]? {
        metrics(requests).first { ($0["name"] as? String) == name }
    }

    /// The data points of a metric, whatever its kind.
    public static func points(_ metric: [String: Any]) -> [[String: Any]] {
        for kind in ["sum", "gauge", "histogram", "exponential_histogram"] {
            if let body = metric[kind] as? [String: Any] { return body["data_points"] as? [[String: Any]] ?? [] }
        }
        return []
    }

    /// Attributes of a data point or resource as a string dictionary.
    public static func attributes(_ object: [String: Any]) -> [String: String] {
        var out: [String: String] = [:]
        for kv in object["attributes"] as? [[String: Any]] ?? [] {
            if let key = kv["key"] as? String, let value = (kv["value"] as? [String: Any])?["string_value"] as? String {
                out[key] = value
            }
        }
        return out
    }

    /// A fixed64 field (MessageToDict renders 64-bit integers as strings).
    public static func uint64(_ object: [String: Any], _ key: String) -> UInt64? {
        if let s = object[key] as? String { return UInt64(s) }
        return (object[key] as? NSNumber)?.uint64Value
    }

    public static func double(_ object: [String: Any], _ key: String) -> Double? {
        (object[key] as? NSNumber)?.doubleValue
    }

    /// The point of `metric` whose attributes equal `attributes`.
    public static func point(_ metric: [String: Any], _ attributes: [String: String]) -> [String: Any]? {
        points(metric).first { Decoded.attributes($0) == attributes }
    }
}

/// Throwing lookups, for use inside expressions (macros such as `#require` cannot nest).
extension Decoded {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    public static func requiredMetric(_ name: String, in requests: [[String: Any]]) throws -> [String: Any] {
        guard let m = metric(name, in: requests) else { throw Missing(description: "no metric \(name)") }
        return m
    }

    public static func requiredPoint(_ metric: [String: Any], _ attributes: [String: String]) throws -> [String: Any] {
        guard let p = point(metric, attributes) else { throw Missing(description: "no point with \(attributes)") }
        return p
    }

    public static func firstPoint(_ metric: [String: Any]) throws -> [String: Any] {
        guard let p = points(metric).first else { throw Missing(description: "metric has no points") }
        return p
    }
}

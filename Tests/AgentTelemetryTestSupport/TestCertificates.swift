import Foundation

/// A throw-away public-key infrastructure made with the `openssl` command line for one test:
/// CAs, server and client certificates (EC P-256 keys), expired ones, in a temporary directory
/// that `remove()` deletes. Every command runs off the cooperative pool (`Peers.run`).
public final class TestCertificates: Sendable {
    /// The `openssl` executable, if installed (`.ci/run` installs it).
    public static let openssl = Peers.which("openssl")

    /// A certificate authority: its certificate and key files.
    public struct Authority: Sendable {
        public let certificate: String
        public let key: String
    }

    /// A leaf certificate and its key file.
    public struct Pair: Sendable {
        public let certificate: String
        public let key: String
    }

    /// What a leaf certificate is for.
    public enum Usage: Sendable {
        /// `serverAuth`, SAN `DNS:localhost, IP:127.0.0.1`.
        case server
        /// `clientAuth`.
        case client
    }

    /// The temporary directory holding every file.
    public let directory: String

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates the directory; nothing is generated yet.
    public init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        directory = url.path
    }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// A path inside the directory.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// A new self-signed CA named `name` (files `name.pem`, `name.key`).
    public func authority(_ name: String) async throws -> Authority {
        let ca = Authority(certificate: path("\(name).pem"), key: path("\(name).key"))
        try await run(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                       "-keyout", ca.key, "-out", ca.certificate, "-days", "30", "-subj", "/CN=\(name) test CA",
                       "-addext", "basicConstraints=critical,CA:TRUE",
                       "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        return ca
    }

    /// A new key and certificate `name.pem`/`name.key` signed by `ca`. With `expired` the
    /// certificate was valid in January 2020 only (issued with `openssl ca -startdate -enddate`,
    /// which OpenSSL 3.0 supports, unlike `x509 -not_before`).
    public func issue(_ name: String, by ca: Authority, for usage: Usage, expired: Bool = false) async throws -> Pair {
        let pair = Pair(certificate: path("\(name).pem"), key: path("\(name).key"))
        let request = path("\(name).csr")
        let commonName = usage == .server ? "localhost" : "\(name) client"
        try await run(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                       "-keyout", pair.key, "-out", request, "-subj", "/CN=\(commonName)"])
        let extensions = path("\(name).ext")
        let lines = usage == .server
            ? ["subjectAltName=DNS:localhost,IP:127.0.0.1", "extendedKeyUsage=serverAuth"]
            : ["extendedKeyUsage=clientAuth"]
        try (lines + ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature"]).joined(separator: "\n")
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let serial = String(UInt64.random(in: 1...UInt64(Int64.max)), radix: 16)
        if expired {
            let config = try caConfiguration(name: name, extensions: lines + ["basicConstraints=CA:FALSE"], serial: serial)
            try await run(["ca", "-batch", "-config", config, "-cert", ca.certificate, "-keyfile", ca.key,
                           "-in", request, "-out", pair.certificate, "-notext",
                           "-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
        } else {
            try await run(["x509", "-req", "-in", request, "-CA", ca.certificate, "-CAkey", ca.key,
                           "-set_serial", "0x" + serial, "-days", "30", "-sha256", "-extfile", extensions,
                           "-out", pair.certificate])
        }
        return pair
    }

    /// A minimal `openssl ca` configuration of its own (database and serial in the directory).
    private func caConfiguration(name: String, extensions: [String], serial: String) throws -> String {
        let base = path("\(name)-ca")
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try "".write(toFile: base + "/index.txt", atomically: true, encoding: .utf8)
        try (serial.count % 2 == 0 ? serial : "0" + serial).appending("\n").write(toFile: base + "/serial", atomically: true, encoding: .utf8)
        let text = """
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            database = \(base)/index.txt
            new_certs_dir = \(base)
            serial = \(base)/serial
            default_md = sha256
            policy = any_name
            unique_subject = no
            copy_extensions = none
            x509_extensions = leaf
            [ any_name ]
            commonName = supplied
            [ leaf ]
            \(extensions.joined(separator: "\n"))
            """
        let file = base + "/ca.cnf"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    private func run(_ arguments: [String]) async throws {
        guard let openssl = Self.openssl else { throw Failure(description: "openssl is not installed") }
        let result = try await Peers.run(openssl, arguments)
        if result.status != 0 {
            throw Failure(description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed: \(result.stderr)")
        }
    }
}

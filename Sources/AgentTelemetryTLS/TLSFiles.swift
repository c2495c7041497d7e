import AgentTelemetry
import NIOSSL

/// Reading the PEM files a TLS configuration names, with messages that name the file and never
/// its content. Shared by the `/metrics` endpoint (server side) and the OTLP exporter (client
/// side); not part of the public API.
///
/// Every function reads regular files only (see `ConfigurationFile.contents`), so a path that
/// names a FIFO or a device cannot block. Cost: one open, fstat and read per file plus PEM parsing.
package enum TLSFiles {
    /// The largest certificate or key file read (a chain of a few certificates is a few KiB).
    package static let sizeLimit = 1024 * 1024

    /// Why a file could not be used; `description` is a sentence that starts after the path.
    package enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// The file could not be read (missing, unreadable, not a regular file, too large).
        case unreadable(String)
        /// The file holds no PEM certificate.
        case noCertificate
        /// The file holds no PEM private key this library can use.
        case noPrivateKey

        package var description: String {
            switch self {
            case .unreadable(let reason): reason
            case .noCertificate: "holds no PEM certificate"
            case .noPrivateKey: "holds no usable PEM private key (unencrypted RSA or EC; PKCS#8 or traditional form)"
            }
        }
    }

    /// The certificates of the PEM file at `path`, in file order (a leaf then its chain, or a
    /// set of CA certificates).
    package static func certificates(at path: String) -> Result<[NIOSSLCertificate], Problem> {
        switch ConfigurationFile.contents(of: path, limit: sizeLimit) {
        case .failure(let problem):
            return .failure(.unreadable(problem.description))
        case .success(let bytes):
            guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
                return .failure(.noCertificate)
            }
            return .success(certificates)
        }
    }

    /// The private key of the PEM file at `path`. The key's bytes never leave this function
    /// other than inside the returned key.
    package static func privateKey(at path: String) -> Result<NIOSSLPrivateKey, Problem> {
        switch ConfigurationFile.contents(of: path, limit: sizeLimit) {
        case .failure(let problem):
            return .failure(.unreadable(problem.description))
        case .success(let bytes):
            guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem) else { return .failure(.noPrivateKey) }
            return .success(key)
        }
    }

    /// Whether `key` is the private key of the first certificate of `chain`.
    ///
    /// BoringSSL refuses a key that does not match the leaf certificate when both are given to
    /// one context, so a context is built and the answer is whether that worked. Cost: one TLS
    /// context (no trust store is loaded: verification is off for this probe).
    package static func keyMatchesCertificate(chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) -> Bool {
        var probe = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        probe.certificateVerification = .none
        return (try? NIOSSLContext(configuration: probe)) != nil
    }

    /// A certificate chain with its key, loaded and checked to belong together.
    package struct Identity: Sendable {
        /// The leaf certificate first.
        package var chain: [NIOSSLCertificate]
        /// The leaf certificate's private key.
        package var key: NIOSSLPrivateKey
    }

    /// Loads the certificate chain at `certificatePath` and the key at `keyPath`, and checks that
    /// the key is the certificate's. Failures are issues keyed `certificateKey` / `keyKey` (the
    /// file's names for the two settings), naming paths only.
    package static func identity(certificatePath: String, keyPath: String,
                                 certificateKey: [String], keyKey: [String]) -> Result<Identity, ConfigurationIssues> {
        var issues: [ConfigurationIssue] = []
        var chain: [NIOSSLCertificate]?
        var key: NIOSSLPrivateKey?
        switch certificates(at: certificatePath) {
        case .success(let c): chain = c
        case .failure(let p): issues.append(ConfigurationIssue(certificateKey, "\(ConfigurationText.quotedForMessage(certificatePath)) \(p)"))
        }
        switch privateKey(at: keyPath) {
        case .success(let k): key = k
        case .failure(let p): issues.append(ConfigurationIssue(keyKey, "\(ConfigurationText.quotedForMessage(keyPath)) \(p)"))
        }
        if let chain, let key {
            if keyMatchesCertificate(chain: chain, key: key) { return .success(Identity(chain: chain, key: key)) }
            issues.append(ConfigurationIssue(keyKey, "\(ConfigurationText.quotedForMessage(keyPath)) is not the private key of the certificate in \(ConfigurationText.quotedForMessage(certificatePath))"))
        }
        return .failure(ConfigurationIssues(issues))
    }

    /// The CA certificates at `path`, or an issue keyed `key`.
    package static func authorities(at path: String, key: [String]) -> Result<[NIOSSLCertificate], ConfigurationIssues> {
        certificates(at: path).mapError {
            ConfigurationIssues([ConfigurationIssue(key, "\(ConfigurationText.quotedForMessage(path)) \($0)")])
        }
    }
}

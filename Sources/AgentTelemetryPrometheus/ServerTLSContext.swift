import AgentTelemetry
import AgentTelemetryTLS
import Logging
import NIOCore
import NIOSSL
import Synchronization

/// What ``PrometheusExporter/reloadCertificatesIfChanged()`` did.
public enum CertificateReloadResult: Sendable, Hashable {
    /// The endpoint does not use TLS, or is not running.
    case notConfigured
    /// No file changed since the last successful load.
    case unchanged
    /// A file changed; new connections now use the new certificate.
    case reloaded
    /// A file changed but could not be used; connections keep the previous certificate. The
    /// text names paths only.
    case failed(String)
}

/// The endpoint's current TLS context, and its replacement when the files change.
///
/// The context is swapped under a `Mutex`: a connection being accepted takes the current one in
/// a single short lock; connections already open keep the context they started with. A reload
/// that fails keeps the previous context, and each distinct failure is logged once (at error
/// level); the next check tries again, since the fingerprints only advance on success.
final class ServerTLSContext: Sendable {
    let configuration: PrometheusTLSConfiguration
    private let logger: Logger
    private let reloadFailures: CounterSeries
    private let expiry: GaugeSeries
    private let state: Mutex<State>

    private struct State {
        var context: NIOSSLContext
        var versions: [FileVersion?]
        var lastFailure: String?
    }

    /// Loads the files and builds the first context; throws every problem of the files.
    init(configuration: PrometheusTLSConfiguration, logger: Logger, reloadFailures: CounterSeries, expiry: GaugeSeries) throws(ConfigurationIssues) {
        self.configuration = configuration
        self.logger = logger
        self.reloadFailures = reloadFailures
        self.expiry = expiry
        let versions = FileVersion.of(configuration.files)
        let (context, notAfter) = try Self.makeContext(configuration)
        expiry.set(Double(notAfter))
        state = Mutex(State(context: context, versions: versions))
        warnIfExpired(notAfter)
    }

    /// A certificate past its `notAfter` is served (clients will refuse it), with a warning.
    private func warnIfExpired(_ notAfter: Int) {
        let now = Int(WallClock.nowNanoseconds() / 1_000_000_000)
        guard notAfter <= now else { return }
        logger.warning("the metrics endpoint's TLS certificate has expired; scrapers will refuse it until the files are renewed",
                       metadata: ["cert_file": "\(configuration.certificateFile)", "expired_seconds_ago": "\(now - notAfter)"])
    }

    /// The context for a connection accepted now. Cost: one short lock.
    var current: NIOSSLContext { state.withLock { $0.context } }

    /// Rebuilds the context when a file's device, inode, size or modification time changed.
    /// Blocking: reads files and builds a context, so it runs off the event loops and off the
    /// concurrency pool (see the exporter).
    func reloadIfChanged() -> CertificateReloadResult {
        let versions = FileVersion.of(configuration.files)
        let changed = state.withLock { $0.versions != versions }
        guard changed else { return .unchanged }
        do {
            let (context, notAfter) = try Self.makeContext(configuration)
            state.withLock { s in
                s.context = context
                s.versions = versions
                s.lastFailure = nil
            }
            expiry.set(Double(notAfter))
            warnIfExpired(notAfter)
            logger.info("metrics endpoint TLS certificate reloaded; new connections use it",
                        metadata: ["cert_file": "\(configuration.certificateFile)", "key_file": "\(configuration.keyFile)"])
            return .reloaded
        } catch {
            let reason = error.description
            let first = state.withLock { s in
                defer { s.lastFailure = reason }
                return s.lastFailure != reason
            }
            reloadFailures.increment()
            if first {
                logger.error("metrics endpoint TLS certificate files changed but cannot be used; the previous certificate stays in use",
                             metadata: ["problem": "\(reason)"])
            } else {
                logger.debug("metrics endpoint TLS reload still failing", metadata: ["problem": "\(reason)"])
            }
            return .failed(reason)
        }
    }

    /// How long a closing connection waits for the peer's close_notify: not at all (the
    /// connection closes on the next event-loop turn after ours is written).
    static let closeNotifyWait: TimeAmount = .zero

    /// The server context for `c`, and the leaf certificate's expiry (seconds since the epoch).
    static func makeContext(_ c: PrometheusTLSConfiguration) throws(ConfigurationIssues) -> (NIOSSLContext, Int) {
        let identity: TLSFiles.Identity
        switch TLSFiles.identity(certificatePath: c.certificateFile, keyPath: c.keyFile,
                                 certificateKey: ["tls", "cert_file"], keyKey: ["tls", "key_file"]) {
        case .success(let i): identity = i
        case .failure(let issues): throw issues
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.chain.map { .certificate($0) }, privateKey: .privateKey(identity.key))
        tls.minimumTLSVersion = c.minimumVersion == .tls13 ? .tlsv13 : .tlsv12
        tls.applicationProtocols = ["http/1.1"]
        // When the endpoint closes a connection, its close_notify is sent and the connection
        // closed at once, without waiting for the peer's close_notify (TLS 1.2 §7.2.1 and 1.3
        // §6.1 allow the side that closes not to wait). Every response is complete before a
        // close, so there is nothing left to receive. NIOSSL waits 5 s by default, which a peer
        // that ends with a bare FIN (no close_notify) after `Connection: close` always ran into:
        // its connection stayed open 5 s, and a stop waited for it.
        tls.shutdownTimeout = Self.closeNotifyWait
        if c.clientAuthentication == .require {
            guard let path = c.clientCAFile else {
                throw ConfigurationIssues([ConfigurationIssue(["tls", "client_ca_file"], "is required with client_auth: require")])
            }
            switch TLSFiles.authorities(at: path, key: ["tls", "client_ca_file"]) {
            case .success(let roots): tls.trustRoots = .certificates(roots)
            case .failure(let issues): throw issues
            }
            // Clients are identified by certificate, not by host name: verify the chain only.
            tls.certificateVerification = .noHostnameVerification
        } else {
            tls.certificateVerification = .none
        }
        do {
            let context = try NIOSSLContext(configuration: tls)
            return (context, identity.chain.first.map { Int($0.notValidAfter) } ?? 0)
        } catch {
            throw ConfigurationIssues([ConfigurationIssue(["tls"], "the certificate and key cannot be used for TLS: \(error)")])
        }
    }
}

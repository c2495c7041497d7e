/// How an exporter reaches the StatsD server.
public enum StatsDTransport: Sendable, Hashable {
    /// UDP datagrams to ``StatsDConfiguration/host``:``StatsDConfiguration/port`` (IPv4 or IPv6,
    /// whichever the host resolves to). The host is resolved once and again after send failures.
    case udp
    /// Datagrams to a Unix domain socket (`SOCK_DGRAM`) bound by the server at `path`.
    case unixDomainSocket(path: String)
}

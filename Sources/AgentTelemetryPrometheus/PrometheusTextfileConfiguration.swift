/// Settings of the textfile writer (node_exporter's textfile collector output):
/// `exporters.prometheus.textfile` in the configuration file.
public struct PrometheusTextfileConfiguration: Sendable, Hashable {
    /// Target path (should end in `.prom` for node_exporter).
    public var path: String
    /// Time between writes (default 15 s).
    public var interval: Duration

    /// Creates a configuration.
    public init(path: String, interval: Duration = .seconds(15)) {
        self.path = path
        self.interval = interval
    }
}

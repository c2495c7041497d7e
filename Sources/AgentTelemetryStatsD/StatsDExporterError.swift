/// Misuse of a ``StatsDExporter``.
public enum StatsDExporterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``StatsDExporter/run()`` was called on an exporter that already ran.
    case alreadyRunning

    public var description: String {
        switch self {
        case .alreadyRunning: return "statsd exporter: run() may be called only once"
        }
    }
}

import Prometheus

/// swift-prometheus 2.4's name-based factory methods, the cheapest public path to a labelled
/// series (the descriptor-based replacements join the name parts on every call). They are
/// deprecated upstream; calling them through this protocol keeps the peer measured at its
/// fastest without a deprecation warning in our build.
public protocol LegacyNaming {
    func makeCounter(name: String, labels: [(String, String)]) -> Counter
    func makeCounter(name: String, labels: [(String, String)], help: String) -> Counter
    func makeValueHistogram(name: String, labels: [(String, String)], buckets: [Double], help: String) -> ValueHistogram
    func makeDurationHistogram(name: String, labels: [(String, String)], buckets: [Duration]) -> DurationHistogram
}

extension PrometheusCollectorRegistry: LegacyNaming {}

extension PrometheusCollectorRegistry {
    /// This registry seen through `LegacyNaming` (statically dispatched, specialised in release builds).
    @inlinable public var legacy: some LegacyNaming { self }
}

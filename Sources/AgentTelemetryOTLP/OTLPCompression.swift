import CompressNIO

/// Compression applied to request bodies.
public enum OTLPCompression: String, Sendable, Hashable, CaseIterable {
    /// gzip, announced with `Content-Encoding: gzip` (the default; protobuf metrics shrink 5–10×).
    case gzip
    /// No compression.
    case none
}

extension OTLPCompression {
    /// The gzip settings of every request body: zlib level 1. Metric payloads repeat names and
    /// label values, so the fastest level already shrinks them several-fold, at a fraction of the
    /// CPU time of the default level 6 (measured in the `OTLP/encode_*` benchmarks).
    static var gzipAlgorithm: CompressionAlgorithm {
        .gzip(configuration: .init(compressionLevel: .fastestCompression))
    }
}

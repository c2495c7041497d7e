/// Compression applied to request bodies.
public enum OTLPCompression: String, Sendable, Hashable, CaseIterable {
    /// gzip, announced with `Content-Encoding: gzip` (the default; protobuf metrics shrink 5–10×).
    case gzip
    /// No compression.
    case none
}

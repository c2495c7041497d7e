import AgentTelemetry
import CompressNIO
import NIOCore

/// Encodes a registry snapshot as the body of one OTLP/HTTP export request: protobuf
/// `ExportMetricsServiceRequest`, gzip-compressed when asked — what `OTLPExporter` sends, without
/// the HTTP round trip.
///
/// For writing OTLP to a file or a custom transport, and for measuring the encoder alone (the
/// `OTLP/encode_*` benchmarks). Points are cumulative (no delta baseline is kept) and all go into
/// one request (no `max_data_points_per_request` split). Cost: one pass over the points into one
/// buffer (about 60–120 bytes per number point with two labels), then one gzip pass.
public struct OTLPRequestEncoder: Sendable {
    private let encoder: OTLPMetricsEncoder
    private let compression: OTLPCompression

    /// Creates an encoder with the resource, scope and compression of `configuration`;
    /// `commonLabels` (a registry's ``MetricRegistry/commonLabels``) become resource attributes,
    /// as `OTLPExporter` sends them.
    public init(configuration: OTLPExporterConfiguration, commonLabels: LabelSet = .empty) {
        self.encoder = OTLPMetricsEncoder(configuration: configuration, commonLabels: commonLabels)
        self.compression = configuration.compression
    }

    /// The request body for `snapshot`.
    /// - Throws: ``OTLPExportError/compressionFailed(_:)`` when gzip fails.
    public func encode(_ snapshot: MetricsSnapshot) throws(OTLPExportError) -> [UInt8] {
        let metrics = OTLPDeltaTracker(temporality: .cumulative).metrics(from: snapshot)
        let body = encoder.encode(metrics)
        guard compression == .gzip else { return body }
        var buffer = ByteBuffer(bytes: body)
        do { buffer = try buffer.compress(with: OTLPCompression.gzipAlgorithm) } catch {
            throw .compressionFailed("\(error)")
        }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

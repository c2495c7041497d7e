/// The `partial_success` of an `ExportMetricsServiceResponse`: points the collector refused.
public struct OTLPPartialSuccess: Sendable, Equatable {
    /// `rejected_data_points`: how many points were refused.
    public var rejectedDataPoints: Int64
    /// `error_message`: why (may be empty).
    public var errorMessage: String

    /// Creates a value.
    public init(rejectedDataPoints: Int64, errorMessage: String) {
        self.rejectedDataPoints = rejectedDataPoints
        self.errorMessage = errorMessage
    }

    /// Parses a protobuf `ExportMetricsServiceResponse`. Returns `nil` for an empty response,
    /// an absent or empty `partial_success`, or bytes that are not a valid message.
    public static func parse(response bytes: [UInt8]) -> OTLPPartialSuccess? {
        do {
            var reader = ProtobufReader(bytes)
            var found: OTLPPartialSuccess?
            while let tag = try reader.readTag() {
                guard tag.field == 1, tag.wireType == 2 else {
                    try reader.skip(tag.wireType)
                    continue
                }
                var inner = reader.subReader(try reader.readLengthDelimited())
                var value = found ?? OTLPPartialSuccess(rejectedDataPoints: 0, errorMessage: "")
                while let t = try inner.readTag() {
                    switch (t.field, t.wireType) {
                    case (1, 0): value.rejectedDataPoints = Int64(bitPattern: try inner.readVarint())
                    case (2, 2): value.errorMessage = inner.string(try inner.readLengthDelimited())
                    default: try inner.skip(t.wireType)
                    }
                }
                found = value
            }
            guard let found, found.rejectedDataPoints != 0 || !found.errorMessage.isEmpty else { return nil }
            return found
        } catch {
            return nil
        }
    }
}

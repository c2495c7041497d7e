/// The OpenTelemetry semantic-conventions release the catalog follows.
///
/// The catalog's `gen_ai.*` metric names, units, attribute keys and enum values are those of this
/// release, as the official Python package `opentelemetry-semantic-conventions` 0.66b2 implements
/// it; a test decodes a real OTLP export and checks it against that package. OTLP exports carry
/// the release as `schema_url` on the resource and scope metrics, so a backend can translate
/// names when the conventions move.
public enum SemanticConventions {
    /// The release (`1.44.0`).
    public static let version = "1.44.0"
    /// The schema URL of the release, as OTLP's `schema_url` carries it.
    public static let schemaURL = "https://opentelemetry.io/schemas/" + version
}

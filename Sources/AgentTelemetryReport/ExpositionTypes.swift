import AgentTelemetryExposition

// The report reads expositions with the package's one parser (AgentTelemetryExposition); these names
// keep the report's API as it was.

/// A parsed text exposition (Prometheus 0.0.4 or OpenMetrics 1.0).
package typealias Exposition = AgentTelemetryExposition.Exposition
/// One sample line of an exposition.
package typealias ExpositionSample = AgentTelemetryExposition.ExpositionSample
/// The parser of both text formats.
package typealias ExpositionParser = AgentTelemetryExposition.ExpositionParser
/// Why a text is not an exposition: its line and the rule it broke.
package typealias ExpositionParseError = AgentTelemetryExposition.ExpositionParseError
/// A rule of the text formats.
package typealias ExpositionRule = AgentTelemetryExposition.ExpositionRule

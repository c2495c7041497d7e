// swift-tools-version: 6.1
// Integrations: the examples that need a heavy dependency the root package must never pull
// (Hummingbird, swift-otel, the MCP SDK, an InfluxDB client over AsyncHTTPClient). They are one
// package so that SwiftNIO, AsyncHTTPClient and the root package are built once for all of them:
// as four packages CI built NIO four times (about 17 minutes of a 40-minute limit for three).
// Each example keeps its own folder, targets and tests:
//
//   HummingbirdAgent/  a Hummingbird 2 app: HTTP server, Telemetry and /metrics in one ServiceGroup
//                      swift run HummingbirdAgent ; curl '127.0.0.1:8080/search?q=swift' ; curl 127.0.0.1:9095/metrics
//   OTelExemplars/     exemplars that name the spans of swift-otel's real tracer
//                      swift run OTelExemplarsDemo ; swift test --filter OTelExemplarsTests
//   InfluxExporter/    an exporter plug-in for InfluxDB 1.x, chosen with `exporters: influxdb:`
//                      swift run influx-agent check-config agent.yaml ; swift test --filter InfluxExporterTests
//   MCPAgent/          Model Context Protocol clients and servers (official swift-sdk) measured
//                      through an instrumented transport ; swift test --filter MCPAgentTests
//
// `swift test` here runs every example's tests (CI: .ci/run). A first build takes several minutes.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "Integrations",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AgentTelemetry", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Only the OTLP/HTTP trait, not swift-otel's default gRPC one (grpc-swift is a long build).
        // The example exports no spans (exporter `none`), but swift-otel 1.6.0 does not compile on
        // Linux with no OTLP trait at all: its configuration code calls Foundation's
        // `trimmingCharacters(in:)`, and only the files built for an OTLP trait import Foundation.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // MARK: HummingbirdAgent
        .executableTarget(
            name: "HummingbirdAgent",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "HummingbirdAgent/Sources/HummingbirdAgent",
            swiftSettings: strict
        ),

        // MARK: OTelExemplars
        .target(
            name: "OTelExemplars",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "OTelExemplars/Sources/OTelExemplars",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "OTelExemplarsDemo",
            dependencies: ["OTelExemplars"],
            path: "OTelExemplars/Sources/OTelExemplarsDemo",
            swiftSettings: strict
        ),
        .testTarget(
            name: "OTelExemplarsTests",
            dependencies: [
                "OTelExemplars",
                .product(name: "AgentTelemetryTesting", package: "AgentTelemetry"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "OTelExemplars/Tests/OTelExemplarsTests",
            swiftSettings: strict
        ),

        // MARK: InfluxExporter
        // The plug-in: its configuration section, the exporter service and its kind.
        .target(
            name: "InfluxExporter",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryRuntime", package: "AgentTelemetry"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "InfluxExporter/Sources/InfluxExporter",
            swiftSettings: strict
        ),
        // A user's own program: `check-config` (mounted from AgentTelemetryCommands) and `run`.
        .executableTarget(
            name: "influx-agent",
            dependencies: [
                "InfluxExporter",
                .product(name: "AgentTelemetryRuntime", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryCommands", package: "AgentTelemetry"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "InfluxExporter/Sources/influx-agent",
            swiftSettings: strict
        ),
        .testTarget(
            name: "InfluxExporterTests",
            dependencies: [
                "InfluxExporter",
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryRuntime", package: "AgentTelemetry"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "InfluxExporter/Tests/InfluxExporterTests",
            swiftSettings: strict
        ),

        // MARK: MCPAgent
        // The instrumented transport: wraps any MCP `Transport`, client or server side.
        .target(
            name: "MCPTelemetry",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "MCPAgent/Sources/MCPTelemetry",
            swiftSettings: strict
        ),
        // The demo server's tools and resource, shared by the executable and the in-process tests.
        .target(
            name: "MCPDemoTools",
            dependencies: [.product(name: "MCP", package: "swift-sdk")],
            path: "MCPAgent/Sources/MCPDemoTools",
            swiftSettings: strict
        ),
        // A small MCP server over stdio, instrumented on the server side; the tests spawn it.
        .executableTarget(
            name: "mcp-demo-server",
            dependencies: [
                "MCPTelemetry",
                "MCPDemoTools",
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "MCPAgent/Sources/mcp-demo-server",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MCPAgentTests",
            dependencies: [
                "MCPTelemetry",
                "MCPDemoTools",
                "mcp-demo-server",
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryTesting", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryOTLP", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "MCPAgent/Tests/MCPAgentTests",
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

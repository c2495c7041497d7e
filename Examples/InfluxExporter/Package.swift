// swift-tools-version: 6.1
// InfluxExporter: an exporter plug-in for InfluxDB 1.x (line protocol over HTTP), chosen in the same
// YAML as the built-in exporters:
//
//   exporters:
//     influxdb: {url: "http://127.0.0.1:8086", database: agent, interval: 10s}
//
// Its own package, like HummingbirdAgent, so the root package never depends on it. A first build
// takes 4–5 minutes (it builds the root package and its dependencies again).
//
//   cd Examples/InfluxExporter && swift run influx-agent check-config agent.yaml
//   cd Examples/InfluxExporter && swift run influx-agent run --config agent.yaml --duration 30
//   cd Examples/InfluxExporter && swift test      # starts a real influxd (Debian package `influxdb`)
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "InfluxExporter",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AgentTelemetry", path: "../.."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
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
            swiftSettings: strict
        ),
        .testTarget(
            name: "InfluxExporterTests",
            dependencies: [
                "InfluxExporter",
                .product(name: "AgentTelemetryRuntime", package: "AgentTelemetry"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

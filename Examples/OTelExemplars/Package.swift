// swift-tools-version: 6.1
// OTelExemplars: AgentTelemetry's exemplars pointing at spans of the real swift-otel tracer.
// A package of its own, so the root package never depends on swift-otel.
//
//   cd Examples/OTelExemplars && swift run OTelExemplarsDemo   # prints OpenMetrics with exemplars
//   cd Examples/OTelExemplars && swift test                    # checks the ids against swift-otel's
import PackageDescription

let package = Package(
    name: "OTelExemplars",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AgentTelemetry", path: "../.."),
        // Only the OTLP/HTTP trait, not swift-otel's default gRPC one (grpc-swift is a long build).
        // The example exports no spans (exporter `none`), but swift-otel 1.6.0 does not compile on
        // Linux with no OTLP trait at all: its configuration code calls Foundation's
        // `trimmingCharacters(in:)`, and only the files built for an OTLP trait import Foundation.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
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
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .executableTarget(
            name: "OTelExemplarsDemo",
            dependencies: ["OTelExemplars"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
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
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

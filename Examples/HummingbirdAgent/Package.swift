// swift-tools-version: 6.1
// HummingbirdAgent: a Hummingbird 2 app whose one ServiceGroup runs the HTTP server, Telemetry and
// the Prometheus exporter. Its own package, so the root package never pulls Hummingbird.
//
//   cd Examples/HummingbirdAgent && swift run
//   curl http://127.0.0.1:8080/search?q=swift ; curl http://127.0.0.1:9095/metrics
import PackageDescription

let package = Package(
    name: "HummingbirdAgent",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AgentTelemetry", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdAgent",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

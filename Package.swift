// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "AgentTelemetry",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AgentTelemetry", targets: ["AgentTelemetry"]),
        .library(name: "AgentTelemetryPrometheus", targets: ["AgentTelemetryPrometheus"]),
        .library(name: "AgentTelemetryOTLP", targets: ["AgentTelemetryOTLP"]),
        .library(name: "AgentTelemetryStatsD", targets: ["AgentTelemetryStatsD"]),
        .library(name: "AgentTelemetrySwiftMetrics", targets: ["AgentTelemetrySwiftMetrics"]),
        .library(name: "AgentTelemetryRuntime", targets: ["AgentTelemetryRuntime"]),
        .library(name: "AgentTelemetryTesting", targets: ["AgentTelemetryTesting"]),
        .library(name: "AgentTelemetryCommands", targets: ["AgentTelemetryCommands"]),
        .executable(name: "agent-telemetry", targets: ["agent-telemetry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        // ServiceContext (InstrumentationContext) and the Instrument API, for exemplars; already in the
        // graph through AsyncHTTPClient. Only the small `Instrumentation` product, no tracer.
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // TLS for the /metrics endpoint and the OTLP client (already in the graph through AsyncHTTPClient).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Core: events, bus, registry, catalog. No networking.
        .target(
            name: "AgentTelemetry",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        // The one parser of the text formats (Prometheus 0.0.4, OpenMetrics 1.0), shared by the report
        // and the test kit. No dependencies; not a product.
        .target(name: "AgentTelemetryExposition", swiftSettings: strict),
        // A test kit for agent code: a manual clock, a deterministic test telemetry, exposition comparison.
        .target(
            name: "AgentTelemetryTesting",
            dependencies: ["AgentTelemetry", "AgentTelemetryPrometheus", "AgentTelemetryExposition",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Certificate and key files for TLS: loading, checking that a key matches its certificate,
        // noticing that a file changed. Shared by the endpoint and the OTLP client; not a product.
        .target(
            name: "AgentTelemetryTLS",
            dependencies: [
                "AgentTelemetry",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryPrometheus",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryTLS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryOTLP",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryTLS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryStatsD",
            dependencies: [
                "AgentTelemetry",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetrySwiftMetrics",
            dependencies: [
                "AgentTelemetry",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryRuntime",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryPrometheus",
                "AgentTelemetryOTLP",
                "AgentTelemetryStatsD",
                "AgentTelemetrySwiftMetrics",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Commands a user's own swift-argument-parser program mounts (`check-config` with its plug-ins).
        .target(
            name: "AgentTelemetryCommands",
            dependencies: [
                "AgentTelemetryRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryReport",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryExposition",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "agent-telemetry",
            dependencies: [
                "AgentTelemetryRuntime",
                "AgentTelemetryCommands",
                "AgentTelemetryPrometheus",
                "AgentTelemetryOTLP",
                "AgentTelemetryStatsD",
                "AgentTelemetryReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Examples: built with the package (and so in CI), run with `swift run <Name>`.
        .executableTarget(
            name: "QuickStart",
            dependencies: [
                "AgentTelemetry", "AgentTelemetryPrometheus",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/QuickStart", swiftSettings: strict
        ),
        // CustomSubscriber: the subscriber in a library, the demo program, and its tests written with the test kit.
        .target(name: "TokenBudget", dependencies: ["AgentTelemetry"], path: "Examples/CustomSubscriber/TokenBudget", swiftSettings: strict),
        .executableTarget(name: "CustomSubscriber", dependencies: ["AgentTelemetry", "TokenBudget"],
                          path: "Examples/CustomSubscriber/App", swiftSettings: strict),
        .testTarget(name: "CustomSubscriberTests", dependencies: ["TokenBudget", "AgentTelemetryTesting"],
                    path: "Examples/CustomSubscriber/Tests", swiftSettings: strict),
        .executableTarget(
            name: "ConfigDriven",
            dependencies: [
                "AgentTelemetryRuntime",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/ConfigDriven", swiftSettings: strict),
        .executableTarget(
            name: "SwiftMetricsBridge",
            dependencies: [
                "AgentTelemetry", "AgentTelemetryPrometheus", "AgentTelemetrySwiftMetrics",
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Examples/SwiftMetricsBridge", swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryTests",
            dependencies: ["AgentTelemetry", "AgentTelemetryTesting", "AgentTelemetryTestSupport",
                           .product(name: "DequeModule", package: "swift-collections"),
                           .product(name: "Instrumentation", package: "swift-distributed-tracing")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryPrometheusTests",
            dependencies: [
                "AgentTelemetryPrometheus",
                "AgentTelemetryTesting",
                "AgentTelemetryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AgentTelemetryTestSupport",
            dependencies: [
                "AgentTelemetry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Tests/AgentTelemetryTestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetrySwiftMetricsTests",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryTesting",
                "AgentTelemetrySwiftMetrics",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // Imported next to AgentTelemetry on purpose: no public name may collide with it.
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryRuntimeTests",
            dependencies: [
                "AgentTelemetryRuntime",
                "AgentTelemetryTesting",
                "AgentTelemetryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryReportTests",
            dependencies: [
                "AgentTelemetryReport",
                "AgentTelemetryPrometheus",
                "AgentTelemetryRuntime",
                "AgentTelemetryTestSupport",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryExpositionTests",
            dependencies: [
                "AgentTelemetryExposition",
                "AgentTelemetryPrometheus",
                "AgentTelemetryReport",
                "AgentTelemetryRuntime",
                "AgentTelemetryTesting",
                "AgentTelemetryTestSupport",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryAssetsTests",
            dependencies: [
                "AgentTelemetry",
                "AgentTelemetryRuntime",
                "AgentTelemetryPrometheus",
                "AgentTelemetryTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryOTLPTests",
            dependencies: [
                "AgentTelemetryOTLP", "AgentTelemetryTestSupport", "AgentTelemetryTesting",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AgentTelemetryStatsDTests",
            dependencies: ["AgentTelemetryStatsD", "AgentTelemetryTestSupport", "AgentTelemetryTesting"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)

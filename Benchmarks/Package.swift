// swift-tools-version: 6.1
// Benchmarks for AgentTelemetry against its peers (issue 10). Its own package so that the root
// package does not depend on the benchmark harness. Run: ./compare.sh (or
// `swift package --allow-writing-to-package-directory benchmark`).
import PackageDescription

let benchmarkDependencies: [Target.Dependency] = [
    .product(name: "Benchmark", package: "benchmark"),
]
let benchmarkPlugins: [Target.PluginUsage] = [
    .plugin(name: "BenchmarkPlugin", package: "benchmark"),
]

let package = Package(
    name: "AgentTelemetryBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "AgentTelemetry", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // The exponential-histogram peer of the Native benchmark (issue 28). Default traits (OTLP/HTTP):
        // 1.6.0 does not compile without them (a file uses Foundation that only they import).
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        // Direct instrument updates: ours vs swift-prometheus.
        .executableTarget(
            name: "Instruments",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                "PrometheusPeer",
            ],
            path: "Benchmarks/Instruments",
            plugins: benchmarkPlugins
        ),
        // Prometheus text exposition of 1k/10k/100k series: ours vs swift-prometheus.
        .executableTarget(
            name: "Exposition",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "PrometheusPeer",
            ],
            path: "Benchmarks/Exposition",
            plugins: benchmarkPlugins
        ),
        // emit -> subscriber -> registry, end to end: ours vs direct swift-prometheus and AsyncStream fan-out.
        .executableTarget(
            name: "Bus",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryTesting", package: "AgentTelemetry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                "PrometheusPeer",
            ],
            path: "Benchmarks/Bus",
            plugins: benchmarkPlugins
        ),
        // OTLP export through the public path (the encoder itself is internal).
        .executableTarget(
            name: "OTLP",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryOTLP", package: "AgentTelemetry"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/OTLP",
            plugins: benchmarkPlugins
        ),
        // Native histograms: observe cost, classic vs native vs swift-otel's exponential histogram.
        .executableTarget(
            name: "Native",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Benchmarks/Native",
            plugins: benchmarkPlugins
        ),
        // StatsD line encoding and datagram packing.
        .executableTarget(
            name: "StatsD",
            dependencies: benchmarkDependencies + [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryStatsD", package: "AgentTelemetry"),
            ],
            path: "Benchmarks/StatsD",
            plugins: benchmarkPlugins
        ),
        // Bytes per series: a plain executable, outside the benchmark harness (no malloc interposer).
        .executableTarget(
            name: "MemoryProbe",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                "CMallocInfo",
                "PrometheusPeer",
            ],
            path: "Sources/MemoryProbe"
        ),
        .target(name: "CMallocInfo", path: "Sources/CMallocInfo"),
        .target(
            name: "PrometheusPeer",
            dependencies: [.product(name: "Prometheus", package: "swift-prometheus")],
            path: "Sources/PrometheusPeer"
        ),
        // A small release binary to profile one workload under callgrind/perf (not a benchmark).
        .executableTarget(
            name: "ProfileProbe",
            dependencies: [
                .product(name: "AgentTelemetry", package: "AgentTelemetry"),
                .product(name: "AgentTelemetryPrometheus", package: "AgentTelemetry"),
            ],
            path: "Sources/ProfileProbe"
        ),
    ],
    swiftLanguageModes: [.v6]
)

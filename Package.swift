// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

/// The generator's hot path (simulation, records, encoders, the ring): Swift 6's static
/// exclusivity checks still hold; the run-time ones cost about 4% of a release build's time per
/// record, so release builds leave them out (debug builds and tests keep them).
let hot: [SwiftSetting] = strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "netchaos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "netchaos", targets: ["netchaos"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.8.0"),
        .package(url: "https://github.com/jpsim/Yams", "5.4.0"..<"7.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // MARK: - Configuration
        .target(
            name: "Settings",
            dependencies: [.product(name: "Configuration", package: "swift-configuration"), .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),

        // MARK: - Fail points (crash on purpose where a test asks; off unless NETCHAOS_FAILPOINTS names points)
        .target(name: "FailPoints", swiftSettings: strict),

        // MARK: - Blocking work off Swift's cooperative threads (the one thread-to-async bridge)
        .target(name: "BlockingWork", swiftSettings: strict),

        // MARK: - Core, no I/O
        .target(name: "TelemetryModel", swiftSettings: hot),
        .target(name: "ChaosEngine", dependencies: ["TelemetryModel"], swiftSettings: hot),

        // MARK: - Encoders
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CLz4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"])]),
        .target(name: "TelemetryFormats", dependencies: ["TelemetryModel", "CDeflate", "CZstd", "CSnappy", "CLz4", "CIsal", "CPrefetch"], swiftSettings: hot),

        // MARK: - Kafka (librdkafka)
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .target(
            name: "KafkaTransport",
            dependencies: [
                "BlockingWork",
                "CRdKafka",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: - The in-process queue of `netchaos up`
        .target(name: "RecordQueue", swiftSettings: strict),

        // MARK: - Redis (our own RESP client on SwiftNIO)
        .target(
            name: "RedisClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: - HTTP ingester (Hummingbird; memory and Redis stores)
        .target(
            name: "Ingester",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                "Settings", "TransportSettings", "RedisClient", "Observability", "HTTPServing", "TelemetryModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Object storage (S3 with SigV4, local directory)
        .target(
            name: "ObjectStorage",
            dependencies: [
                "BlockingWork",
                "CDeflate", "FailPoints",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: - The transports' settings, read from the configuration (the transports know none of it)
        .target(
            name: "TransportSettings",
            dependencies: [
                "Settings", "KafkaTransport", "RedisClient", "ObjectStorage",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Reconciliation (netchaos verify: every slot present, dead-lettered or a planned drop)
        .target(
            name: "Reconciliation",
            dependencies: [
                "TelemetryModel", "TelemetryFormats", "ObjectStorage", "KafkaTransport", "CDeflate", "CZstd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Services
        .target(
            name: "TelemetrySink",
            dependencies: [
                "BlockingWork",
                "RecordQueue",
                "Observability", .product(name: "Metrics", package: "swift-metrics"),
                "TelemetryModel", "TelemetryFormats", "KafkaTransport", "ObjectStorage", "Settings", "TransportSettings", "FailPoints",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Observability",
            dependencies: [
                "TelemetryModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "HTTPServing",
            dependencies: [
                "Observability", "Settings", "TelemetryModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(name: "CPrefetch"),
        .target(
            name: "GeneratorRuntime",
            dependencies: [
                "BlockingWork",
                "RecordQueue", "CPrefetch", "FailPoints",
                .product(name: "Metrics", package: "swift-metrics"),
                "TelemetryModel", "ChaosEngine", "TelemetryFormats", "Observability", "Settings", "TransportSettings", "KafkaTransport", "ObjectStorage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: hot
        ),
        .target(
            name: "Pipeline",
            dependencies: [
                "ChaosEngine", "Settings", "TransportSettings", "GeneratorRuntime", "TelemetrySink", "Ingester", "Observability", "TelemetryModel", "RecordQueue",
                "Reconciliation", "ObjectStorage", "HTTPServing", "KafkaTransport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "netchaos",
            dependencies: [
                "TelemetryModel", "ChaosEngine", "TelemetryFormats", "Observability", "GeneratorRuntime", "Settings", "TransportSettings", "KafkaTransport",
                "ObjectStorage", "TelemetrySink", "Ingester", "RedisClient", "Pipeline", "RecordQueue", "HTTPServing", "FailPoints", "Reconciliation",
                "BlockingWork",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Tests
        .testTarget(
            name: "TransportSettingsTests",
            dependencies: [
                "TransportSettings", "Settings", "KafkaTransport", "RedisClient", "ObjectStorage",
                .product(name: "Configuration", package: "swift-configuration"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TelemetryModelTests", dependencies: ["TelemetryModel"], swiftSettings: strict),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "GeneratorRuntime", "ObjectStorage", "Reconciliation", "Settings", "TransportSettings",
                "TelemetrySink", "Ingester", "HTTPServing", "ChaosEngine",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "FailPointsTests", dependencies: ["FailPoints"], swiftSettings: strict),
        .testTarget(
            name: "ReconciliationTests",
            dependencies: ["Reconciliation", "TelemetryModel", "TelemetryFormats", "ObjectStorage", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "IngesterTests",
            dependencies: [
                "Ingester", "RedisClient", "TelemetryModel", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RedisClientTests",
            dependencies: ["RedisClient", "TestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "ChaosEngineTests", dependencies: ["ChaosEngine"], swiftSettings: strict),
        .testTarget(
            name: "TelemetryFormatsTests",
            dependencies: ["TelemetryFormats", "TelemetryModel", "ChaosEngine", "CDeflate", "CZstd", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: [
                "ObjectStorage", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "BlockingWorkTests",
            dependencies: ["BlockingWork"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TelemetrySinkTests",
            dependencies: [
                "RecordQueue",
                "TelemetrySink", "ObjectStorage", "KafkaTransport", "TelemetryModel", "TelemetryFormats", "ChaosEngine", "Settings", "TestSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: ["Observability", "TelemetryModel", .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GeneratorRuntimeTests",
            dependencies: [
                "GeneratorRuntime", "ChaosEngine", "Settings", "KafkaTransport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "KafkaTransportTests",
            dependencies: [
                "KafkaTransport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)

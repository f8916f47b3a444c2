// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

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
    ],
    targets: [
        // MARK: - Configuration
        .target(
            name: "Settings",
            dependencies: [.product(name: "Configuration", package: "swift-configuration")],
            swiftSettings: strict
        ),

        // MARK: - Core, no I/O
        .target(name: "TelemetryModel", swiftSettings: strict),
        .target(name: "ChaosEngine", dependencies: ["TelemetryModel"], swiftSettings: strict),

        // MARK: - Encoders
        .systemLibrary(name: "CDeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        .target(name: "TelemetryFormats", dependencies: ["TelemetryModel", "CDeflate"], swiftSettings: strict),

        // MARK: - Kafka (librdkafka)
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .target(
            name: "KafkaTransport",
            dependencies: [
                "CRdKafka", "Settings",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Services
        .target(
            name: "Observability",
            dependencies: [.product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(
            name: "GeneratorRuntime",
            dependencies: [
                "TelemetryModel", "ChaosEngine", "TelemetryFormats", "Observability", "Settings", "KafkaTransport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "netchaos",
            dependencies: [
                "TelemetryModel", "ChaosEngine", "TelemetryFormats", "Observability", "GeneratorRuntime", "Settings", "KafkaTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),

        // MARK: - Tests
        .testTarget(name: "TelemetryModelTests", dependencies: ["TelemetryModel"], swiftSettings: strict),
        .testTarget(name: "ChaosEngineTests", dependencies: ["ChaosEngine"], swiftSettings: strict),
        .testTarget(name: "TelemetryFormatsTests", dependencies: ["TelemetryFormats", "ChaosEngine", "CDeflate"], swiftSettings: strict),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: ["Observability", .product(name: "Logging", package: "swift-log")],
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
                "KafkaTransport", "Settings",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
    ]
)

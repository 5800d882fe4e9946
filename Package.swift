// swift-tools-version: 6.2
// The dependency graph is the architecture: roles (Fetcher, ParserWorker, Sink, Supervisor) never import
// each other; they meet in NewsModel. Only ZeroMQ imports CZeroMQ.
import PackageDescription

let package = Package(
    name: "newsflow",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsflow", targets: ["newsflow"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZeroMQ",
            providers: [.apt(["libzmq3-dev"])]
        ),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "NewsModel"),
        // Optimized in debug builds too: the entity model's load and tagging are number crunching that -Onone
        // makes ten times slower, which would make every end-to-end test's worker start and parse unlike a
        // real one (a worker restarting for seconds changes how redelivered articles are spread).
        .target(
            name: "ArticleParsing", dependencies: ["NewsModel"], resources: [.copy("Resources/en-conll2003.nfner")],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Training and scoring the entity model: commands, out of the workers' path.
        .target(name: "EntityTraining", dependencies: ["ArticleParsing"]),
        .target(name: "StreamFiles", dependencies: [.product(name: "CompressNIO", package: "compress-nio")]),
        .target(
            name: "Observability",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "RoleSupport",
            dependencies: [
                "NewsModel", "ZeroMQ",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Fetcher",
            dependencies: [
                "ZeroMQ", "NewsModel", "RoleSupport", "StreamFiles",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "ParserWorker",
            dependencies: [
                "ZeroMQ", "NewsModel", "ArticleParsing", "RoleSupport",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Sink",
            dependencies: [
                "ZeroMQ", "NewsModel", "RoleSupport", "StreamFiles",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Supervisor",
            dependencies: [
                "NewsModel", "RoleSupport", "Observability",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "newsflow",
            dependencies: [
                "NewsModel", "ArticleParsing", "EntityTraining", "RoleSupport", "Fetcher", "ParserWorker", "Sink", "Supervisor", "Observability",
                "ZeroMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        .testTarget(name: "NewsModelTests", dependencies: ["NewsModel"]),
        .testTarget(
            name: "FetcherTests",
            dependencies: ["Fetcher", "NewsModel", "RoleSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "SinkTests",
            dependencies: ["Sink", "NewsModel", "RoleSupport", "StreamFiles", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ArticleParsingTests", dependencies: ["ArticleParsing", "EntityTraining", "NewsModel"], exclude: ["Fixtures"]),
        .testTarget(name: "PipelineTests", dependencies: ["NewsModel"]),
    ],
    swiftLanguageModes: [.v6]
)

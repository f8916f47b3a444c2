// swift-tools-version:6.1
import PackageDescription

// The fuzz harness that needs a package: the RESP parser reads SwiftNIO's WriteBuffer, so it is
// built with the real NIOCore. The parser's files are symlinks into ../Sources/RedisClient (a
// target's path must lie inside its package), compiled into the harness's own module so that
// its internal API is reachable. This target's own flags ask for coverage and AddressSanitizer
// together: `swift build --sanitize fuzzer --sanitize address` passes them as two `-sanitize=`
// flags, of which swiftc keeps only the last, and coverage is lost. scripts/fuzz.sh builds it
// with `swift build -c release --sanitize fuzzer` (NIO gets coverage only) into
// ../.build-fuzz/spm; the other harnesses need no package and are built with swiftc.
let package = Package(
    name: "netchaos-fuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
    ],
    targets: [
        .executableTarget(
            name: "resp-fuzz",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            path: "RESP",
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])],
            // libFuzzer brings `main`; build with `swift build --sanitize fuzzer` too, or SwiftPM asks
            // the linker for an entry point `resp_fuzz_main` that this module does not have.
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ]
)

import Settings
import ChaosEngine
import Configuration
import Foundation
import SystemPackage
import GeneratorRuntime
import Testing

/// Precedence (flags > environment > YAML > defaults) and the message of every bad value.
@Suite struct ConfigurationTests {
    /// A reader layered as `netchaos` layers it, with YAML given inline.
    static func reader(flags: [String: String] = [:], env: [String: String] = [:], yaml: String? = nil) async throws -> ConfigReader {
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags { flagValues[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: false) }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flagValues),
            KeyMappingProvider(upstream: EnvironmentVariablesProvider(environmentVariables: env)) { key in
                AbsoluteConfigKey([ConfigKeys.environmentName(of: key.components.joined(separator: ".")) ?? "UNMAPPED"])
            },
        ]
        if let yaml { providers.append(try await yamlProvider(yaml)) }
        return ConfigReader(providers: providers)
    }

    static func configuration(flags: [String: String] = [:], env: [String: String] = [:], yaml: String? = nil) async throws -> GeneratorConfiguration {
        try GeneratorConfiguration(config: await reader(flags: flags, env: env, yaml: yaml), now: 1_000, randomSeed: 77, cores: 3)
    }

    @Test func defaultsMatchTheSeeds() async throws {
        let config = try await Self.configuration()
        #expect(config.rate == 5_000)
        #expect(config.workers == 3)
        #expect(config.chaos.enabled)
        #expect(config.chaos.latencySpike.value == 0.05)
        #expect(config.chaos.connectionReset.value == 0.02)
        #expect(config.chaos.exfiltration.value == 0.01)
        #expect(config.seed == 77 && config.startTime == 1_000 && config.count == nil)
        #expect(config.outputs == [OutputSpec(destination: .stdout, format: .jsonl)])
        #expect(config.generatorID == GeneratorConfiguration.defaultGeneratorID(seed: 77))
    }

    @Test func flagsBeatEnvironmentBeatsYAML() async throws {
        let yaml = """
            generator:
              eps_target: 100
              workers: 4
              count: 10
            chaos:
              latency_spike_prob: 0.3
              port_scan:
                ports: 250
            outputs: ["a.csv", "b.json.gz"]
            """
        let fromYAML = try await Self.configuration(yaml: yaml)
        #expect(fromYAML.rate == 100 && fromYAML.workers == 4 && fromYAML.count == 10)
        #expect(fromYAML.chaos.latencySpike.value == 0.3 && fromYAML.chaos.portScan.ports == 250)
        #expect(fromYAML.outputs.map(\.format) == [.csv, .jsonGz])

        let fromEnv = try await Self.configuration(env: ["EPS_TARGET": "200", "LATENCY_SPIKE_PROB": "0.2", "NETCHAOS_OUTPUTS": "x.jsonl,-"], yaml: yaml)
        #expect(fromEnv.rate == 200 && fromEnv.workers == 4)
        #expect(fromEnv.chaos.latencySpike.value == 0.2)
        #expect(fromEnv.outputs == [OutputSpec(destination: .file(path: "x.jsonl"), format: .jsonl), OutputSpec(destination: .stdout, format: .jsonl)])

        let fromFlags = try await Self.configuration(flags: ["generator.eps_target": "max", "chaos.latency_spike_prob": "0.1"], env: ["EPS_TARGET": "200", "LATENCY_SPIKE_PROB": "0.2"], yaml: yaml)
        #expect(fromFlags.rate == nil && fromFlags.chaos.latencySpike.value == 0.1 && fromFlags.count == 10)
    }

    @Test func seedEnvironmentNamesWork() async throws {
        let config = try await Self.configuration(env: ["WORKER_COUNT": "7", "CHAOS_MODE": "false", "ERROR_RATE_PROB": "0.5", "DATA_EXFIL_PROB": "0.25", "EPS_TARGET": "0"])
        #expect(config.workers == 7 && !config.chaos.enabled && config.rate == nil)
        #expect(config.chaos.connectionReset.value == 0.5 && config.chaos.exfiltration.value == 0.25)
        #expect(config.timeRate == GeneratorConfiguration.defaultTimeRate)
    }

    @Test(arguments: [
        ("chaos.latency_spike_prob", "1.5", "LATENCY_SPIKE_PROB", "a probability from 0 to 1"),
        ("generator.eps_target", "-5", "EPS_TARGET", "events per second"),
        ("generator.eps_target", "fast", "--rate", "'max'"),
        ("generator.workers", "0", "WORKER_COUNT", "from 1 to 256"),
        ("generator.count", "-1", "--count", "whole number of records"),
        ("generator.duration", "0", "--duration", "positive duration"),
        ("generator.seed", "abc", "--seed", "18446744073709551615"),
        ("generator.start_time", "yesterday", "--start-time", "ISO-8601"),
        ("generator.id", "a b", "GENERATOR_ID", "1-64 characters"),
        ("output.format", "avro", "--format", "jsonl, json.gz, csv, parquet"),
        ("output.parquet.compression", "brotli", "--parquet-compression", "snappy, gzip, zstd"),
        ("output.parquet.row_group_size", "0", "--row-group-size", "from 1 to 100000000"),
        ("output.rotate_size", "10", "--rotate-size", "at least 64KB"),
        ("output.rotate_size", "lots", "--rotate-size", "a size such as"),
        ("output.gzip_level", "13", "--gzip-level", "from 1 to 12"),
        ("chaos.enabled", "maybe", "CHAOS_MODE", "true or false"),
        ("chaos.drop_prob", "0.9", "DROP_PROB", "from 0 to 0.5"),
        ("chaos.port_scan.ports", "70000", "PORT_SCAN_PORTS", "from 1 to 65535"),
        ("log.progress", "sometimes", "--progress", "auto, on or off"),
        ("generator.dataset", "dns", "--dataset", "flow"),
    ])
    func badValuesNameKeyValueAndAllowed(key: String, value: String, spelling: String, allowed: String) async throws {
        await #expect {
            try await Self.configuration(flags: [key: value])
        } throws: { error in
            let message = "\(error)"
            return message.contains("'\(value)'") && message.contains(key) && message.contains(spelling) && message.contains(allowed)
        }
    }

    @Test func badValuesFromEveryLayerAreReported() async throws {
        await #expect(throws: ConfigurationError.self) { try await Self.configuration(env: ["EPS_TARGET": "-1"]) }
        await #expect(throws: ConfigurationError.self) { try await Self.configuration(yaml: "chaos:\n  data_exfil_prob: 2\n") }
        await #expect(throws: ConfigurationError.self) { try await Self.configuration(yaml: "outputs: [\"out.avro\"]\n") }
        await #expect {
            try await Self.configuration(flags: ["network.services": "web=10.0.1.0/24:tcp/99999"])
        } throws: { "\($0)".contains("not an endpoint") }
    }

    @Test func outputsParse() async throws {
        #expect(try OutputSpec(parsing: "-", defaultFormat: nil) == OutputSpec(destination: .stdout, format: .jsonl))
        #expect(try OutputSpec(parsing: "file:out/a.json.gz", defaultFormat: nil) == OutputSpec(destination: .file(path: "out/a.json.gz"), format: .jsonGz))
        #expect(try OutputSpec(parsing: "events.log", defaultFormat: .csv).format == .csv)
        #expect(throws: ConfigurationError.self) { try OutputSpec(parsing: "events.log", defaultFormat: nil) }
        await #expect(throws: ConfigurationError.self) { try await Self.configuration(flags: ["output.format": "csv"], env: ["NETCHAOS_OUTPUTS": "a.csv,a.csv"]) }
    }
}

/// Writes YAML to a temporary file and opens it as the seed documents' YAML layer.
func yamlProvider(_ text: String) async throws -> any ConfigProvider {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-\(UUID().uuidString).yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
}

/// The network section of a YAML file: typed, strict, and the built-in network round-trips.
@Suite struct NetworkConfigurationTests {
    static func configuration(yaml: String, flags: [String: String] = [:]) async throws -> GeneratorConfiguration {
        let tree = try ConfigTree.parse(yaml: yaml)
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in flags { flagValues[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: false) }
        let reader = ConfigReader(providers: [InMemoryProvider(name: "flags", values: flagValues), tree.provider()])
        return try GeneratorConfiguration(config: reader, document: tree, now: 1_795_960_800, randomSeed: 1, cores: 2)
    }

    static var example: String {
        get throws {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            return try String(contentsOf: root.appendingPathComponent("examples/network.yaml"), encoding: .utf8)
        }
    }

    @Test func theExampleFileIsTheBuiltInNetwork() async throws {
        let config = try await Self.configuration(yaml: try Self.example)
        #expect(config.network == NetworkDeclaration.standard)
        #expect(NetworkDeclaration.standard.yaml.hasPrefix("network:\n"))
    }

    @Test func flagsOverrideTheFilesScalarKnobs() async throws {
        let config = try await Self.configuration(yaml: try Self.example, flags: ["network.window": "10m", "network.load.curve": "off", "network.load.timezone": "America/New_York"])
        #expect(config.network.windowMs == 600_000)
        #expect(config.network.load.shape == .flat)
        // November: New York is five hours behind.
        #expect(config.network.load.utcOffsetSeconds == -5 * 3_600)
    }

    @Test(arguments: [
        ("roles:\n    - {name: web, vpc: prod, subnets: [10.0.1.0/24], colour: blue}", "network.roles[web].colour"),
        ("roles:\n    - {name: web, vpc: prod, subnets: [10.0.1.0/24], hosts: many}", "network.roles[web].hosts"),
        ("roles:\n    - {name: web, vpc: nowhere, subnets: [10.0.1.0/24], serves: [tcp/443], clients: [web2], weight: 1}\n    - {name: web2, kind: internet, subnets: [24.0.0.0/8]}", "network.roles[web].vpc"),
        ("vpcs:\n    - {name: prod, cidr: 10.0.0.0/16, account: \"12\", region: us-east-1, env: P}\n  roles:\n    - {name: web, vpc: prod, subnets: [10.0.1.0/24]}", "network.vpcs[0].account"),
        ("roles:\n    - {name: web, vpc: prod, subnets: [10.0.1.0/24], load: {peak_hour: 25}}", "network.roles[web].load.peak_hour"),
        ("traffic:\n    - {from: a, to: b, weight: 1, via: c}\n  roles:\n    - {name: a, kind: internet, subnets: [24.0.0.0/8]}", "network.traffic[0].via"),
    ])
    func badSectionsNameTheKey(_ section: String, _ key: String) async throws {
        let yaml = "network:\n  vpcs:\n    - {name: prod, cidr: 10.0.0.0/16, account: \"123456789012\", region: us-east-1, env: Production}\n  " + section + "\n"
        do {
            _ = try await Self.configuration(yaml: yaml.replacingOccurrences(of: "  vpcs:\n    - {name: prod, cidr: 10.0.0.0/16, account: \"123456789012\", region: us-east-1, env: Production}\n  vpcs:", with: "  vpcs:"))
            Issue.record("accepted: \(yaml)")
        } catch let error as ConfigurationError {
            #expect(error.key == key, "\(error)")
        }
    }

    @Test func rolesAndTheShorthandTogetherAreRefused() async throws {
        await #expect(throws: ConfigurationError.self) {
            _ = try await Self.configuration(yaml: try Self.example, flags: ["network.services": "web=10.0.1.0/24:tcp/443"])
        }
    }
}

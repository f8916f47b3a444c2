import ChaosEngine
import Configuration
import GeneratorRuntime
import HTTPServing
import Ingester
import Settings
import TelemetrySink
import Testing

/// The knob declarations hold the defaults users read; the configuration structs hold the ones
/// code without a configuration gets. These tests keep the two the same.
@Suite("Knob defaults agree with the configurations' own")
struct KnobDefaultsTests {
    private func reader(_ values: [String: String] = [:]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: false)) })))
    }

    @Test("chaos, outputs and the switch fleet read from nothing are the engine's defaults")
    func generatorDefaults() throws {
        let read = try GeneratorConfiguration(config: reader(), now: 1_780_000_000, randomSeed: 1, cores: 2)
        let plain = GeneratorConfiguration()
        #expect(read.chaos == plain.chaos)
        #expect(read.transactionChaos == plain.transactionChaos)
        #expect(read.switchChaos == plain.switchChaos)
        #expect(read.switchFleet == plain.switchFleet)
        #expect(read.gzipLevel == plain.gzipLevel && read.vpcVersion == plain.vpcVersion)
        #expect(read.parquet.rowGroupRows == plain.parquet.rowGroupRows && read.parquet.compression == plain.parquet.compression)
        #expect(read.vpcSkipProbability == plain.vpcSkipProbability && read.vpcNoData == plain.vpcNoData)
        #expect(read.network == NetworkDeclaration.standard)
    }

    @Test("each network knob set to the default the table shows leaves the built-in network as it is")
    func networkShownDefaults() throws {
        let network = Knobs.network
        let settings: [Knob] = [
            network.window.knob, network.domain.knob, network.backgroundRefused.knob,
            network.backgroundResets.knob, network.backgroundTimeouts.knob, network.backgroundInternetNoise.knob, network.backgroundNoiseSources.knob,
            network.backgroundBackupHour.knob, network.backgroundBackupSize.knob, network.backgroundLargeUploads.knob, network.backgroundSlowAtPeak.knob,
            network.backgroundDnsTxt.knob, network.backgroundDnsLongNames.knob, network.backgroundVulnerabilityScanHour.knob,
            network.backgroundVulnerabilityScanPorts.knob, network.backgroundVulnerabilityScanSpacingMs.knob, network.exfilTargets.knob,
            network.scanSources.knob,
        ]
        var changed: [String] = []
        for knob in settings {
            let read = try GeneratorConfiguration(config: reader([knob.key: knob.defaultValue]), now: 1_780_000_000, randomSeed: 1, cores: 2)
            if read.network != NetworkDeclaration.standard { changed.append("\(knob.key) = \(knob.defaultValue)") }
        }
        #expect(changed == [])
    }

    @Test("sink, ingester and HTTP server settings read from nothing are their configurations' defaults")
    func serviceDefaults() throws {
        #expect(try SinkConfiguration(config: reader()) == SinkConfiguration())
        #expect(try IngestConfiguration(config: reader()) == IngestConfiguration())
        let http = try HTTPServerConfiguration(config: reader(), host: "0.0.0.0", port: 8080, hostKey: Knobs.up.host.key, portKey: Knobs.up.port.key)
        let plain = HTTPServerConfiguration(host: "0.0.0.0", port: 8080)
        #expect(http.idleTimeout == plain.idleTimeout && http.headerTimeout == plain.headerTimeout && http.maxConnections == plain.maxConnections)
        #expect(http.readToken == nil && http.tls == nil)
    }
}

import Configuration
import Foundation
import GeneratorRuntime
import Pipeline
import Settings
import Testing

/// What `netchaos up` derives from one configuration: where flows go, the switch generator's own
/// rate and id, the reconciliation, the server; and the settings it refuses.
@Suite struct UpPlanTests {
    /// A loader over the given keys alone (no environment, no file).
    static func plan(_ values: [String: String], flags: [String: ConfigContent] = [:]) async throws(ConfigurationError) -> UpPlan {
        let base = values
        return try await UpPlan(flags: flags) { flags in
            var all: [AbsoluteConfigKey: ConfigValue] = [:]
            for (key, value) in base { all[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: false) }
            for (key, content) in flags { all[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(content, isSecret: false) }
            return (ConfigReader(provider: InMemoryProvider(name: "test", values: all)), nil)
        }
    }

    @Test("without brokers: flows go to the in-process queue, switches in real time under their own id, the store reconciled every 5 s")
    func defaults() async throws {
        let plan = try await Self.plan(["generator.seed": "7"])
        #expect(plan.consumer == nil)
        #expect(plan.flows.dataset == .flow && plan.flows.outputs.map(\.destination) == [.queue])
        #expect(plan.flows.keepsManifest && plan.flows.liveIncidentSlots == 32)
        #expect(plan.switches.dataset == .switches)
        // 100 switches every 2 s, whatever the flows' rate.
        #expect(plan.switches.rate == 50 && plan.switches.timeRate == 50)
        #expect(plan.switches.generatorID == plan.flows.generatorID + "-switches")
        #expect(plan.reconcileInterval == 5)
        #expect(plan.host == "0.0.0.0" && plan.port == 8080 && plan.partitions == 4 && plan.queueBytes == 64 << 20)
        #expect(plan.sink.store.hasPrefix("file:"))
    }

    @Test("the flow rate does not reach the switch generator; a snapshot interval does")
    func switchRate() async throws {
        let plan = try await Self.plan(["generator.eps_target": "20000", "generator.snapshot_interval": "5s", "generator.switches": "40"])
        #expect(plan.flows.rate == 20_000)
        #expect(plan.switches.rate == 8)
    }

    @Test("with brokers: flows go to Kafka and the sink reads it; dead letters only in Kafka turn reconciliation off")
    func kafka() async throws {
        let plan = try await Self.plan(["kafka.brokers": "127.0.0.1:9092"])
        #expect(plan.consumer?.client.brokers == ["127.0.0.1:9092"])
        #expect(plan.flows.outputs.map(\.destination) == [.kafka(brokers: nil, topic: nil)])
        #expect(plan.reconcileInterval == 5)
        let kafkaOnly = try await Self.plan(["kafka.brokers": "127.0.0.1:9092", "sink.dlq": "kafka"])
        #expect(kafkaOnly.reconcileInterval == nil && !kafkaOnly.flows.keepsManifest)
    }

    @Test("blank brokers and a reconcile interval out of range are refused, naming the key")
    func refusals() async {
        let blank = await #expect(throws: ConfigurationError.self) { try await Self.plan(["kafka.brokers": " , "]) }
        #expect(blank?.key == "kafka.brokers")
        let fast = await #expect(throws: ConfigurationError.self) { try await Self.plan(["up.reconcile_interval": "10ms"]) }
        #expect(fast?.key == "up.reconcile_interval")
        let port = await #expect(throws: ConfigurationError.self) { try await Self.plan(["up.port": "70000"]) }
        #expect(port?.key == "up.port")
    }

    @Test("reconciliation off by 0, off or none; the command line wins over the rest")
    func reconcileOff() async throws {
        for text in ["0", "off", "none", "OFF"] {
            let plan = try await Self.plan(["up.reconcile_interval": text])
            #expect(plan.reconcileInterval == nil && !plan.flows.keepsManifest, "\(text)")
        }
        let plan = try await Self.plan(["up.reconcile_interval": "off"], flags: ["up.reconcile_interval": .string("250ms")])
        #expect(plan.reconcileInterval == 0.25)
    }
}

import Configuration
import KafkaTransport
import ObjectStorage
import RedisClient
import Settings
import Testing
import TransportSettings

@Suite("Knob declarations: one per key, defaults that parse, and the transports' defaults")
struct KnobDeclarationTests {
    @Test("every key, environment name and section flag is declared once")
    func unique() {
        let knobs = Knobs.all
        #expect(knobs.count > 150)
        #expect(Set(knobs.map(\.key)).count == knobs.count)
        #expect(Set(knobs.map(\.environment)).count == knobs.count)
        for knob in knobs {
            #expect(!knob.help.isEmpty, "\(knob.key) has no help")
            #expect(!knob.allowed.isEmpty && !knob.defaultValue.isEmpty, "\(knob.key)")
        }
    }

    @Test("a default as the table shows it reads back as the default itself")
    func shownDefaultsParse() throws {
        // Set each typed knob to the text the documentation shows for its default: the value read
        // must be the one read when nothing is set.
        let cases: [(String, () throws -> Bool)] = [
            roundTrip(Knobs.output.gzipLevel), roundTrip(Knobs.output.parquetRowGroupSize), roundTrip(Knobs.output.vpcSkipdataProb),
            roundTrip(Knobs.chaos.latencySpikeProb), roundTrip(Knobs.chaos.portScanIntervalSec), roundTrip(Knobs.generator.snapshotInterval),
            roundTrip(Knobs.sink.batchBytes), roundTrip(Knobs.sink.memoryBytes), roundTrip(Knobs.sink.retryInitial), roundTrip(Knobs.sink.flushInterval),
            roundTrip(Knobs.s3.multipartThreshold), roundTrip(Knobs.s3.partSize), roundTrip(Knobs.s3.requestTimeout),
            roundTrip(Knobs.kafka.batchBytes), roundTrip(Knobs.kafka.queueBytes), roundTrip(Knobs.kafka.messageTimeout),
            roundTrip(Knobs.ingest.maxBody), roundTrip(Knobs.ingest.maxFutureSkew), roundTrip(Knobs.ingest.pullInterval),
            roundTrip(Knobs.http.idleTimeout), roundTrip(Knobs.http.headerTimeout), roundTrip(Knobs.up.queueBytes),
            roundTrip(Knobs.general.logInterval), roundTrip(Knobs.redis.timeout),
        ]
        for (key, check) in cases { #expect(try check(), "\(key)") }
    }

    private func roundTrip<Value: Equatable>(_ setting: Setting<Value>) -> (String, () throws -> Bool) {
        (setting.key, {
            let unset = try ConfigValues(configReader([:])).value(setting)
            let shown = try ConfigValues(configReader([setting.key: setting.knob.defaultValue])).value(setting)
            return unset == shown
        })
    }

    @Test("the Kafka, S3 and Redis sections read from nothing give the transports' own defaults")
    func transportDefaults() throws {
        #expect(try KafkaProducerConfiguration(config: configReader([:])) == KafkaProducerConfiguration())
        #expect(try KafkaConsumerConfiguration(config: configReader([:])) == KafkaConsumerConfiguration())
        let s3 = try S3Configuration(config: configReader(["s3.access_key_id": "a", "s3.secret_access_key": "b"]))
        let credentials = SigV4Credentials(accessKeyID: "a", secretAccessKey: "b", sessionToken: nil)
        #expect(s3 == S3Configuration(credentials: credentials))
        let redis = try #require(try RedisConfiguration(config: configReader(["redis.host": "localhost"])))
        #expect(redis == RedisConfiguration())
    }

    @Test("a knob read from the wrong section is a programming error the reader names")
    func scopedRead() throws {
        let values = ConfigValues(configReader(["kafka.linger_ms": "25"])).scoped(to: "kafka")
        #expect(try values.value(Knobs.kafka.lingerMs) == 25)
        #expect(try values.value(Knobs.messageProducer.kafkaBatchSize) == nil)
    }
}

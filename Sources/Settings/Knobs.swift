/// Every knob of `netchaos`, declared once in its section (`Knobs.output.gzipLevel`). The
/// sections' stored `Setting`s are the list: `all` collects them in declaration order.
public enum Knobs {
    public static let general = GeneralKnobs()
    public static let generator = GeneratorKnobs()
    public static let output = OutputKnobs()
    public static let chaos = ChaosKnobs()
    public static let network = NetworkKnobs()
    public static let kafka = KafkaKnobs()
    public static let sink = SinkKnobs()
    public static let s3 = S3Knobs()
    public static let up = UpKnobs()
    public static let ingest = IngestKnobs()
    public static let http = HTTPKnobs()
    public static let redis = RedisKnobs()
    public static let messageProducer = MessageProducerKnobs()

    static let sections: [any Sendable] = [general, generator, output, chaos, network, kafka, sink, s3, up, ingest, http, redis, messageProducer]

    /// Every knob, section by section, in declaration order.
    public static let all: [Knob] = sections.flatMap { section in
        Mirror(reflecting: section).children.compactMap { ($0.value as? any AnySetting)?.knob }
    }
}

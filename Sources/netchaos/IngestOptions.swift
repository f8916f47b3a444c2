import ArgumentParser
import Configuration

/// `netchaos ingest`'s flags for what it accepts (`ingest.max_future_skew`, `ingest.lenient`).
struct IngestOptions: ParsableArguments {
    @Option(name: .customLong("max-future-skew"), parsing: .unconditional, help: "Refuse records whose timestamp is further ahead of this server's clock (env INGEST_MAX_FUTURE_SKEW, default 5m).") var maxFutureSkew: String?
    @Flag(name: .customLong("lenient"), help: "Accept duplicate keys (the last wins) and unknown fields or CSV columns (skipped), counted, instead of refusing them (env INGEST_LENIENT).") var lenient = false

    var flagValues: [String: ConfigContent] {
        var values: [String: ConfigContent] = [:]
        if let maxFutureSkew { values["ingest.max_future_skew"] = .string(maxFutureSkew) }
        if lenient { values["ingest.lenient"] = .string("true") }
        return values
    }
}

import ArgumentParser
import Settings

/// `netchaos ingest`'s flags for what it accepts (`ingest.max_future_skew`, `ingest.lenient`).
struct IngestOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: .knob(Knobs.ingest.maxFutureSkew)) var maxFutureSkew: String?
    @Flag(help: .knob(Knobs.ingest.lenient)) var lenient = false
}

/// What `netchaos generate` makes and how fast (`generator.*`).
public struct GeneratorKnobs: Sendable {
    public let dataset: Setting<String> = Setting(
        "generator.dataset", env: "NETCHAOS_DATASET", flag: "--dataset", default: "flow", .choice(["flow", "transactions", "switch"]),
        help: "Dataset")
    public let switches: Setting<Int> = Setting(
        "generator.switches", env: "SWITCH_COUNT", flag: "--switches", default: 100, .int(in: 1...100_000),
        help: "Switch dataset: switches sw1..swN")
    public let snapshotInterval: Setting<Double> = Setting(
        "generator.snapshot_interval", env: "SNAPSHOT_INTERVAL", flag: "--snapshot-interval", default: 10, .duration(in: 0.001...3_600),
        help: "Switch dataset: event time between snapshots")
    public let referenceData: Setting<String?> = Setting(
        "generator.reference_data", env: "NETCHAOS_REFERENCE_DATA", flag: "--reference-data", .text("a JSON file of that shape"),
        help: "Reference data of the transactions dataset: a JSON file shaped like examples/reference/transactions.json",
        shownDefault: "built in (examples/reference/transactions.json)")
    public let epsTarget: Setting<Double?> = Setting(
        "generator.eps_target", env: "EPS_TARGET", flag: "--rate", .rate,
        help: "Events per second; 0 or 'max' = as fast as possible",
        shownDefault: "5000 (switch: switches / snapshot interval; the message producer's YAML: max)")
    public let workers: Setting<Int?> = Setting(
        "generator.workers", env: "WORKER_COUNT", flag: "--workers", .int(in: 1...256),
        help: "Worker threads", shownDefault: "CPU cores")
    public let count: Setting<UInt64?> = Setting(
        "generator.count", env: "NETCHAOS_COUNT", flag: "--count", .count,
        help: "Stop after exactly this many records (0 = continuous)", shownDefault: "unset (continuous)")
    public let bufferRecords: Setting<Int?> = Setting(
        "generator.buffer_records", env: "NETCHAOS_BUFFER_RECORDS", .int(in: 1...1_048_576),
        help: "Records held between generation and the outputs (rounded up to chunks of 4096; never fewer than 2 a worker)",
        shownDefault: "2 chunks a worker")
    public let duration: Setting<Double?> = Setting(
        "generator.duration", env: "NETCHAOS_DURATION", flag: "--duration", .duration,
        help: "Stop after this long", shownDefault: "unset")
    public let seed: Setting<UInt64?> = Setting(
        "generator.seed", env: "NETCHAOS_SEED", flag: "--seed", .seed,
        help: "Random seed; with --start-time the output is byte-identical across runs and worker counts", shownDefault: "random")
    public let startTime: Setting<Double?> = Setting(
        "generator.start_time", env: "NETCHAOS_START_TIME", flag: "--start-time", .time,
        help: "Time of the first event", shownDefault: "now")
    public let timeRate: Setting<Double?> = Setting(
        "generator.time_rate", env: "NETCHAOS_TIME_RATE", flag: "--time-rate", .positive(max: 1e9),
        help: "Flows: mean records per simulated second of the network (how busy it is)", shownDefault: "the rate, or 5000 at max rate")
    public let endTime: Setting<String?> = Setting(
        "generator.end_time", env: "NETCHAOS_END_TIME", flag: "--end-time", .text("Unix seconds, ISO-8601 or +DURATION (+48h)"),
        help: "Flows: stop before the first record ending at this event time", shownDefault: "unset")
    public let shard: Setting<String?> = Setting(
        "generator.shard", env: "NETCHAOS_SHARD", flag: "--shard", .text("I/N, 1 <= I <= N <= 64"),
        help: "Flows: generate part I of N of the network (by host), such as 2/4; the parts together are one run", shownDefault: "1/1")
    public let id: Setting<String?> = Setting(
        "generator.id", env: "GENERATOR_ID", flag: "--generator-id", .generatorID(),
        help: "generator_id written on every record", shownDefault: "gen-<seed hash>")
    public let scenario: Setting<String?> = Setting(
        "generator.scenario", env: "NETCHAOS_SCENARIO", flag: "--scenario", .text("a YAML file with a scenarios: list (examples/scenario-day.yaml); adds to the configuration's scenarios:"),
        help: "Flows: a YAML file of incidents on a timeline (scenarios: family, source, target, start, duration, intensity, every/rate)", shownDefault: "none")

    public init() {}
}

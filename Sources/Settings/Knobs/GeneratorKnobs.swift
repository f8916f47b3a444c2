/// What `netchaos generate` makes and how fast (`generator.*`).
public struct GeneratorKnobs: Sendable {
    public let dataset: Setting<String?> = Setting(
        "generator.dataset", env: "NETCHAOS_DATASET", flag: "--dataset", .text("flow, transactions, switch"),
        help: "Dataset: flow, transactions or switch", shownDefault: "flow")
    public let switches: Setting<String?> = Setting(
        "generator.switches", env: "SWITCH_COUNT", flag: "--switches", .text("switches sw1..swN, 1-100000 (switch)"),
        help: "Switch dataset: switches sw1..swN", shownDefault: "100")
    public let snapshotInterval: Setting<String?> = Setting(
        "generator.snapshot_interval", env: "SNAPSHOT_INTERVAL", flag: "--snapshot-interval", .text("event time between snapshots, 1ms-1h (switch)"),
        help: "Switch dataset: event-time seconds between snapshots", shownDefault: "10s")
    public let referenceData: Setting<String?> = Setting(
        "generator.reference_data", env: "NETCHAOS_REFERENCE_DATA", flag: "--reference-data", .text("a JSON file of that shape (transactions)"),
        help: "Reference data of the transactions dataset: a JSON file shaped like examples/reference/transactions.json", shownDefault: "built in (examples/reference/transactions.json)")
    public let epsTarget: Setting<String?> = Setting(
        "generator.eps_target", env: "EPS_TARGET", flag: "--rate", .text("events/s > 0 up to 100000000; 0 or max = as fast as possible"),
        help: "Events per second; 0 or 'max' = as fast as possible", shownDefault: "5000 (switch: switches / snapshot interval; the message producer's YAML: max)")
    public let workers: Setting<String?> = Setting(
        "generator.workers", env: "WORKER_COUNT", flag: "--workers", .text("1-256"),
        help: "Worker threads", shownDefault: "CPU cores")
    public let count: Setting<String?> = Setting(
        "generator.count", env: "NETCHAOS_COUNT", flag: "--count", .text("records >= 0; 0 = continuous"),
        help: "Stop after exactly this many records (0 = continuous)", shownDefault: "unset (continuous)")
    public let bufferRecords: Setting<String?> = Setting(
        "generator.buffer_records", env: "NETCHAOS_BUFFER_RECORDS", .text("records held between generation and the outputs, 1-1048576 (rounded up to chunks of 4096; never fewer than 2 a worker)"),
        help: "", shownDefault: "2 chunks a worker")
    public let duration: Setting<String?> = Setting(
        "generator.duration", env: "NETCHAOS_DURATION", flag: "--duration", .text("seconds or 500ms, 30s, 5m, 2h"),
        help: "Stop after this long: 90, 500ms, 30s, 5m, 2h", shownDefault: "unset")
    public let seed: Setting<String?> = Setting(
        "generator.seed", env: "NETCHAOS_SEED", flag: "--seed", .text("0-18446744073709551615"),
        help: "Random seed; with --start-time the output is byte-identical across runs and worker counts", shownDefault: "random")
    public let startTime: Setting<String?> = Setting(
        "generator.start_time", env: "NETCHAOS_START_TIME", flag: "--start-time", .text("Unix seconds or ISO-8601 UTC (2026-11-22T08:00:00Z)"),
        help: "Time of the first event: Unix seconds or ISO-8601", shownDefault: "now")
    public let timeRate: Setting<String?> = Setting(
        "generator.time_rate", env: "NETCHAOS_TIME_RATE", flag: "--time-rate", .text("mean records per simulated second > 0 (flows: how busy the network is)"),
        help: "Flows: mean records per simulated second of the network", shownDefault: "the rate, or 5000 at max rate")
    public let endTime: Setting<String?> = Setting(
        "generator.end_time", env: "NETCHAOS_END_TIME", flag: "--end-time", .text("flows: event time to stop at: Unix seconds, ISO-8601 or +DURATION (+48h)"),
        help: "Flows: stop before the first record ending at this event time: Unix seconds, ISO-8601, or +DURATION (+48h)", shownDefault: "unset")
    public let shard: Setting<String?> = Setting(
        "generator.shard", env: "NETCHAOS_SHARD", flag: "--shard", .text("flows: I/N, 1 <= I <= N <= 64: part I of N of the network, by host"),
        help: "Flows: generate part I of N of the network (by host), such as 2/4; the parts together are one run", shownDefault: "1/1")
    public let id: Setting<String?> = Setting(
        "generator.id", env: "GENERATOR_ID", flag: "--generator-id", .text("1-64 of A-Z a-z 0-9 . _ -"),
        help: "generator_id written on every record", shownDefault: "gen-<seed hash>")
    public let scenario: Setting<String?> = Setting(
        "generator.scenario", env: "NETCHAOS_SCENARIO", flag: "--scenario", .text("flows: a YAML file with a scenarios: list of incidents (examples/scenario-day.yaml); adds to the configuration's scenarios:"),
        help: "Flows: a YAML file of incidents on a timeline (scenarios: family, source, target, start, duration, intensity, every/rate); see examples/scenario-day.yaml", shownDefault: "none")

    public init() {}
}

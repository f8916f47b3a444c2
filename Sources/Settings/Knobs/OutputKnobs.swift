/// Where and how records are written (`outputs`, `output.*`).
public struct OutputKnobs: Sendable {
    public let outputs: Setting<[String]?> = Setting(
        "outputs", env: "NETCHAOS_OUTPUTS", flag: "--output", .list("'-' (stdout), file paths, DIR/ or s3:// (VPC flow logs), kafka, http://, serve://, netflow:// or ipfix://, syslog://; comma-separated in the environment"),
        help: "An output: '-' for stdout, a file path (.jsonl, .json.gz, .csv, .parquet, .vpc, conn.log, .cef, .pcap), kafka / kafka://HOST:PORT/TOPIC, or netflow://HOST:PORT (ipfix://) to a collector. Repeat for several; each gets every record",
        shownDefault: "-")
    public let format: Setting<String?> = Setting(
        "output.format", env: "NETCHAOS_FORMAT", flag: "--format",
        .text("jsonl, json.gz, csv, parquet, vpc, zeek (conn.log), zeek-json, cef (firewall logs), pcap (packets); with output.directory (as in the message producer) csv, parquet or both"),
        help: "Format for stdout and for files without a known extension", shownDefault: "from the file extension, else jsonl")
    public let rotateSize: Setting<Int?> = Setting(
        "output.rotate_size", env: "NETCHAOS_ROTATE_SIZE", flag: "--rotate-size", .rotation(minimum: 64 * 1024),
        help: "Rotate files at this size", shownDefault: "0 (off)")
    public let gzipLevel: Setting<Int> = Setting(
        "output.gzip_level", env: "NETCHAOS_GZIP_LEVEL", flag: "--gzip-level", default: 4, .int(in: 1...12),
        help: "gzip level of json.gz outputs")
    public let parquetCompression: Setting<String?> = Setting(
        "output.parquet.compression", env: "NETCHAOS_PARQUET_COMPRESSION", flag: "--parquet-compression", .text("none, snappy, gzip, zstd, lz4 (lz4_raw)"),
        help: "Parquet page codec", shownDefault: "zstd")
    public let labels: Setting<String> = Setting(
        "output.labels", env: "NETCHAOS_LABELS", flag: "--labels", default: "inline", .choice(["inline", "sidecar", "none"]),
        help: "Flows: where the ground truth goes: inline (in the records), sidecar (a file of its own, --labels-file) or none")
    public let manifest: Setting<String?> = Setting(
        "output.manifest", env: "NETCHAOS_MANIFEST", flag: "--manifest", .text("a path"),
        help: "Write the run's manifest here when it ends: generator_id, slots, the seq of every planned drop and malformed record (JSON; netchaos verify --manifest reads it)",
        shownDefault: "none")
    public let labelsFile: Setting<String?> = Setting(
        "output.labels_file", env: "NETCHAOS_LABELS_FILE", flag: "--labels-file", .text("a path, with --labels sidecar"),
        help: "Flows: the file of --labels sidecar: one JSON line per record", shownDefault: "beside the first file output (NAME.labels.jsonl)")
    public let incidents: Setting<String?> = Setting(
        "output.incidents", env: "NETCHAOS_INCIDENTS", flag: "--incidents", .text("a path (JSON lines; CSV for .csv), or s3://BUCKET/KEY"),
        help: "Flows: write the incident table here: one row per incident (id, family, technique, start, end, sources, targets, records)",
        shownDefault: "none")
    public let vpcVersion: Setting<Int> = Setting(
        "output.vpc.version", env: "NETCHAOS_VPC_VERSION", flag: "--vpc-version", default: 2, .int(in: 2...5),
        help: "AWS VPC Flow Logs format version of vpc outputs")
    public let vpcSkipdataProb: Setting<Double> = Setting(
        "output.vpc.skipdata_prob", env: "VPC_SKIPDATA_PROB", flag: "--vpc-skipdata-prob", default: 0.0005, .probability(max: 0.5),
        help: "VPC flow logs: chance that an interface's capture window is SKIPDATA")
    public let vpcNodata: Setting<Bool> = Setting(
        "output.vpc.nodata", env: "VPC_NODATA", flag: "--vpc-nodata / --no-vpc-nodata", default: true, .bool,
        help: "VPC flow logs: report idle interfaces with NODATA lines")
    public let pcapSnaplen: Setting<Int> = Setting(
        "output.pcap.snaplen", env: "NETCHAOS_PCAP_SNAPLEN", flag: "--pcap-snaplen", default: 128, .int(in: 64...262_144),
        help: "PCAP outputs: bytes kept of each packet (its original length is recorded; 262144 keeps whole packets)")
    public let parquetRowGroupSize: Setting<Int> = Setting(
        "output.parquet.row_group_size", env: "NETCHAOS_ROW_GROUP_SIZE", flag: "--row-group-size", default: 262_144, .int(in: 1...100_000_000),
        help: "Parquet rows per row group")
    public let httpCaFile: Setting<String?> = Setting(
        "output.http.ca_file", env: "NETCHAOS_HTTP_CA_FILE", flag: "--http-ca-file", .text("a readable PEM file"),
        help: "PEM certificates an https:// output trusts (an ingester with its own certificate)", shownDefault: "none (the system's certificates)")

    public init() {}
}

/// Where and how records are written (`outputs`, `output.*`).
public struct OutputKnobs: Sendable {
    public let outputs: Setting<[String]?> = Setting(
        "outputs", env: "NETCHAOS_OUTPUTS", flag: "--output", .list("'-' (stdout) or file paths, comma-separated in the environment; each output gets every record"),
        help: "An output: '-' for stdout, a file path (.jsonl, .json.gz, .csv, .parquet, .vpc), or kafka / kafka://HOST:PORT/TOPIC. Repeat for several; each gets every record", shownDefault: "-")
    public let format: Setting<String?> = Setting(
        "output.format", env: "NETCHAOS_FORMAT", flag: "--format", .text("jsonl, json.gz, csv, parquet, vpc; with output.directory (as in the message producer) csv, parquet or both"),
        help: "Format for stdout and for files without a known extension: jsonl, json.gz, csv, parquet, vpc", shownDefault: "from the file extension, else jsonl")
    public let rotateSize: Setting<String?> = Setting(
        "output.rotate_size", env: "NETCHAOS_ROTATE_SIZE", flag: "--rotate-size", .text("bytes or 64KB, 100MB, 1GB; at least 64KB"),
        help: "Rotate files at this size: 64KB, 100MB, 1GB", shownDefault: "0 (off)")
    public let gzipLevel: Setting<String?> = Setting(
        "output.gzip_level", env: "NETCHAOS_GZIP_LEVEL", flag: "--gzip-level", .text("1-12"),
        help: "gzip level 1-12 for json.gz", shownDefault: "4")
    public let parquetCompression: Setting<String?> = Setting(
        "output.parquet.compression", env: "NETCHAOS_PARQUET_COMPRESSION", flag: "--parquet-compression", .text("none, snappy, gzip, zstd, lz4 (lz4_raw)"),
        help: "Parquet page codec: none, snappy, gzip, zstd, lz4", shownDefault: "zstd")
    public let labels: Setting<String?> = Setting(
        "output.labels", env: "NETCHAOS_LABELS", flag: "--labels", .text("flows: inline, sidecar (a file maps each record to its labels) or none"),
        help: "Flows: where the ground truth goes: inline (in the records), sidecar (a file of its own, --labels-file) or none", shownDefault: "inline")
    public let manifest: Setting<String?> = Setting(
        "output.manifest", env: "NETCHAOS_MANIFEST", flag: "--manifest", .text("a path: the run's slots, planned drops and malformed records as JSON, for netchaos verify"),
        help: "Write the run's manifest here when it ends: generator_id, slots, the seq of every planned drop and malformed record (JSON; netchaos verify --manifest reads it)", shownDefault: "none")
    public let labelsFile: Setting<String?> = Setting(
        "output.labels_file", env: "NETCHAOS_LABELS_FILE", flag: "--labels-file", .text("a path, with --labels sidecar"),
        help: "Flows: the file of --labels sidecar: one JSON line per record", shownDefault: "beside the first file output (NAME.labels.jsonl)")
    public let incidents: Setting<String?> = Setting(
        "output.incidents", env: "NETCHAOS_INCIDENTS", flag: "--incidents", .text("flows: a path for the incident table (JSON lines; CSV for .csv), or s3://BUCKET/KEY"),
        help: "Flows: write the incident table here: one row per incident (id, family, technique, start, end, sources, targets, records); JSON lines, or CSV for a .csv path", shownDefault: "none")
    public let vpcVersion: Setting<String?> = Setting(
        "output.vpc.version", env: "NETCHAOS_VPC_VERSION", flag: "--vpc-version", .text("2-5 (AWS VPC Flow Logs format version)"),
        help: "AWS VPC Flow Logs version of vpc outputs, 2-5", shownDefault: "2")
    public let vpcSkipdataProb: Setting<String?> = Setting(
        "output.vpc.skipdata_prob", env: "VPC_SKIPDATA_PROB", flag: "--vpc-skipdata-prob", .text("0-0.5: chance an interface's capture window is SKIPDATA"),
        help: "VPC flow logs: chance that an interface's capture window is SKIPDATA", shownDefault: "0.0005")
    public let vpcNodata: Setting<String?> = Setting(
        "output.vpc.nodata", env: "VPC_NODATA", flag: "--vpc-nodata / --no-vpc-nodata", .text("true or false: NODATA lines for idle interfaces"),
        help: "VPC flow logs: report idle interfaces with NODATA lines", shownDefault: "true")
    public let parquetRowGroupSize: Setting<String?> = Setting(
        "output.parquet.row_group_size", env: "NETCHAOS_ROW_GROUP_SIZE", flag: "--row-group-size", .text("rows per row group, 1-100000000"),
        help: "Parquet rows per row group", shownDefault: "262144")
    public let httpCaFile: Setting<String?> = Setting(
        "output.http.ca_file", env: "NETCHAOS_HTTP_CA_FILE", flag: "--http-ca-file", .text("a PEM file of certificates an https:// output trusts (an ingester with its own certificate)"),
        help: "PEM certificates an https:// output trusts", shownDefault: "none (the system's certificates)")

    public init() {}
}

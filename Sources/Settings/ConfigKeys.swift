/// Every knob of `netchaos`: its configuration key (the YAML path), environment name,
/// command-line flag, default and allowed range. The environment provider maps keys to these
/// names, errors quote them, and the knob table in docs/configuration.md is this list.
public enum ConfigKeys {
    public struct Knob: Sendable, Hashable {
        public var key: String
        public var environment: String
        public var flag: String?
        public var defaultValue: String
        public var allowed: String
        /// Other environment names read when `environment` is unset (the seeds' and AWS's spellings).
        public var aliases: [String] = []
    }

    public static let knobs: [Knob] = [
        Knob(key: "config", environment: "NETCHAOS_CONFIG", flag: "--config", defaultValue: "none", allowed: "a readable YAML file"),
        Knob(key: "generator.dataset", environment: "NETCHAOS_DATASET", flag: "--dataset", defaultValue: "flow", allowed: "flow, transactions, switch"),
        Knob(key: "generator.switches", environment: "SWITCH_COUNT", flag: "--switches", defaultValue: "100", allowed: "switches sw1..swN, 1-100000 (switch)"),
        Knob(key: "generator.snapshot_interval", environment: "SNAPSHOT_INTERVAL", flag: "--snapshot-interval", defaultValue: "10s", allowed: "event time between snapshots, 1ms-1h (switch)"),
        Knob(key: "generator.reference_data", environment: "NETCHAOS_REFERENCE_DATA", flag: "--reference-data", defaultValue: "built in (examples/reference/transactions.json)", allowed: "a JSON file of that shape (transactions)"),
        Knob(key: "generator.eps_target", environment: "EPS_TARGET", flag: "--rate", defaultValue: "5000 (switch: switches / snapshot interval; the message producer's YAML: max)", allowed: "events/s > 0 up to 100000000; 0 or max = as fast as possible"),
        Knob(key: "generator.workers", environment: "WORKER_COUNT", flag: "--workers", defaultValue: "CPU cores", allowed: "1-256"),
        Knob(key: "generator.count", environment: "NETCHAOS_COUNT", flag: "--count", defaultValue: "unset (continuous)", allowed: "records >= 0; 0 = continuous"),
        Knob(key: "generator.buffer_records", environment: "NETCHAOS_BUFFER_RECORDS", flag: nil, defaultValue: "2 chunks a worker", allowed: "records held between generation and the outputs, 1-1048576 (rounded up to chunks of 4096; never fewer than 2 a worker)"),
        Knob(key: "generator.duration", environment: "NETCHAOS_DURATION", flag: "--duration", defaultValue: "unset", allowed: "seconds or 500ms, 30s, 5m, 2h"),
        Knob(key: "generator.seed", environment: "NETCHAOS_SEED", flag: "--seed", defaultValue: "random", allowed: "0-18446744073709551615"),
        Knob(key: "generator.start_time", environment: "NETCHAOS_START_TIME", flag: "--start-time", defaultValue: "now", allowed: "Unix seconds or ISO-8601 UTC (2026-11-22T08:00:00Z)"),
        Knob(key: "generator.time_rate", environment: "NETCHAOS_TIME_RATE", flag: "--time-rate", defaultValue: "the rate, or 5000 at max rate", allowed: "mean records per simulated second > 0 (flows: how busy the network is)"),
        Knob(key: "generator.end_time", environment: "NETCHAOS_END_TIME", flag: "--end-time", defaultValue: "unset", allowed: "flows: event time to stop at: Unix seconds, ISO-8601 or +DURATION (+48h)"),
        Knob(key: "generator.shard", environment: "NETCHAOS_SHARD", flag: "--shard", defaultValue: "1/1", allowed: "flows: I/N, 1 <= I <= N <= 64: part I of N of the network, by host"),
        Knob(key: "generator.id", environment: "GENERATOR_ID", flag: "--generator-id", defaultValue: "gen-<seed hash>", allowed: "1-64 of A-Z a-z 0-9 . _ -"),
        Knob(key: "outputs", environment: "NETCHAOS_OUTPUTS", flag: "--output", defaultValue: "-", allowed: "'-' (stdout) or file paths, comma-separated in the environment; each output gets every record"),
        Knob(key: "output.format", environment: "NETCHAOS_FORMAT", flag: "--format", defaultValue: "from the file extension, else jsonl", allowed: "jsonl, json.gz, csv, parquet, vpc; with output.directory (as in the message producer) csv, parquet or both"),
        Knob(key: "output.rotate_size", environment: "NETCHAOS_ROTATE_SIZE", flag: "--rotate-size", defaultValue: "0 (off)", allowed: "bytes or 64KB, 100MB, 1GB; at least 64KB"),
        Knob(key: "output.gzip_level", environment: "NETCHAOS_GZIP_LEVEL", flag: "--gzip-level", defaultValue: "4", allowed: "1-12"),
        Knob(key: "output.parquet.compression", environment: "NETCHAOS_PARQUET_COMPRESSION", flag: "--parquet-compression", defaultValue: "zstd", allowed: "none, snappy, gzip, zstd, lz4 (lz4_raw)"),
        Knob(key: "generator.scenario", environment: "NETCHAOS_SCENARIO", flag: "--scenario", defaultValue: "none", allowed: "flows: a YAML file with a scenarios: list of incidents (examples/scenario-day.yaml); adds to the configuration's scenarios:"),
        Knob(key: "output.labels", environment: "NETCHAOS_LABELS", flag: "--labels", defaultValue: "inline", allowed: "flows: inline, sidecar (a file maps each record to its labels) or none"),
        Knob(key: "output.manifest", environment: "NETCHAOS_MANIFEST", flag: "--manifest", defaultValue: "none", allowed: "a path: the run's slots, planned drops and malformed records as JSON, for netchaos verify"),
        Knob(key: "output.labels_file", environment: "NETCHAOS_LABELS_FILE", flag: "--labels-file", defaultValue: "beside the first file output (NAME.labels.jsonl)", allowed: "a path, with --labels sidecar"),
        Knob(key: "output.incidents", environment: "NETCHAOS_INCIDENTS", flag: "--incidents", defaultValue: "none", allowed: "flows: a path for the incident table (JSON lines; CSV for .csv), or s3://BUCKET/KEY"),
        Knob(key: "output.vpc.version", environment: "NETCHAOS_VPC_VERSION", flag: "--vpc-version", defaultValue: "2", allowed: "2-5 (AWS VPC Flow Logs format version)"),
        Knob(key: "output.vpc.skipdata_prob", environment: "VPC_SKIPDATA_PROB", flag: "--vpc-skipdata-prob", defaultValue: "0.0005", allowed: "0-0.5: chance an interface's capture window is SKIPDATA"),
        Knob(key: "output.vpc.nodata", environment: "VPC_NODATA", flag: "--vpc-nodata / --no-vpc-nodata", defaultValue: "true", allowed: "true or false: NODATA lines for idle interfaces"),
        Knob(key: "output.parquet.row_group_size", environment: "NETCHAOS_ROW_GROUP_SIZE", flag: "--row-group-size", defaultValue: "262144", allowed: "rows per row group, 1-100000000"),
        Knob(key: "output.http.ca_file", environment: "NETCHAOS_HTTP_CA_FILE", flag: "--http-ca-file", defaultValue: "none (the system's certificates)", allowed: "a PEM file of certificates an https:// output trusts (an ingester with its own certificate)"),
        Knob(key: "chaos.enabled", environment: "CHAOS_MODE", flag: "--chaos / --no-chaos", defaultValue: "true", allowed: "true or false"),
        Knob(key: "chaos.latency_spike_prob", environment: "LATENCY_SPIKE_PROB", flag: "--latency-spike-prob", defaultValue: "0.05", allowed: "0-1"),
        Knob(key: "chaos.error_rate_prob", environment: "ERROR_RATE_PROB", flag: "--error-rate-prob", defaultValue: "0.02", allowed: "0-1"),
        Knob(key: "chaos.data_exfil_prob", environment: "DATA_EXFIL_PROB", flag: "--data-exfil-prob", defaultValue: "0.01", allowed: "0-1: share of records"),
        Knob(key: "chaos.malformed_prob", environment: "MALFORMED_PROB", flag: "--malformed-prob", defaultValue: "0.001", allowed: "0-1"),
        Knob(key: "chaos.drop_prob", environment: "DROP_PROB", flag: "--drop-prob", defaultValue: "0.001", allowed: "0-0.5"),
        Knob(key: "chaos.duplicate_settlement_prob", environment: "DUPLICATE_SETTLEMENT_PROB", flag: "--duplicate-settlement-prob", defaultValue: "0.01", allowed: "0-1 (transactions)"),
        Knob(key: "chaos.currency_mismatch_prob", environment: "CURRENCY_MISMATCH_PROB", flag: "--currency-mismatch-prob", defaultValue: "0.005", allowed: "0-1 (transactions)"),
        Knob(key: "chaos.impossible_win_prob", environment: "IMPOSSIBLE_WIN_PROB", flag: "--impossible-win-prob", defaultValue: "0.002", allowed: "0-1 (transactions)"),
        Knob(key: "chaos.link_flap_prob", environment: "LINK_FLAP_PROB", flag: "--link-flap-prob", defaultValue: "0.002", allowed: "0-1 (switch)"),
        Knob(key: "chaos.congestion_prob", environment: "CONGESTION_PROB", flag: "--congestion-prob", defaultValue: "0.01", allowed: "0-1 (switch)"),
        Knob(key: "chaos.error_burst_prob", environment: "ERROR_BURST_PROB", flag: "--error-burst-prob", defaultValue: "0.005", allowed: "0-1 (switch)"),
        Knob(key: "chaos.stale_prob", environment: "STALE_PROB", flag: "--stale-prob", defaultValue: "0.005", allowed: "0-1 (switch)"),
        Knob(key: "chaos.missing_prob", environment: "MISSING_PROB", flag: "--missing-prob", defaultValue: "0.002", allowed: "0-0.5 (switch)"),
        Knob(key: "chaos.difficulty", environment: "CHAOS_DIFFICULTY", flag: "--difficulty", defaultValue: "realistic", allowed: "realistic, or easy: obvious signals in single records (demos; not what a detector should be judged on)"),
        Knob(key: "chaos.port_scan.enabled", environment: "PORT_SCAN_ENABLED", flag: "--port-scan / --no-port-scan", defaultValue: "true", allowed: "true or false"),
        Knob(key: "chaos.port_scan.interval_sec", environment: "PORT_SCAN_INTERVAL_SEC", flag: "--scan-interval", defaultValue: "20", allowed: "seconds of event time > 0"),
        Knob(key: "chaos.port_scan.ports", environment: "PORT_SCAN_PORTS", flag: "--scan-ports", defaultValue: "100", allowed: "1-65535"),
        Knob(key: "chaos.port_scan.spacing_ms", environment: "PORT_SCAN_SPACING_MS", flag: "--scan-spacing-ms", defaultValue: "2", allowed: "0-60000"),
        Knob(key: "network.clients", environment: "NETWORK_CLIENTS", flag: "--clients", defaultValue: "10.1.0.0/16,10.2.0.0/20 with the shorthand", allowed: "shorthand: client networks (CIDRs), a workstation role of up to 4096 hosts"),
        Knob(key: "network.services", environment: "NETWORK_SERVICES", flag: "--service", defaultValue: "the built-in network (examples/network.yaml)", allowed: "shorthand: NAME=CIDR[+CIDR]:PROTO/PORT[+...][<SOURCE[+...]][*WEIGHT]"),
        Knob(key: "network.window", environment: "NETWORK_WINDOW", flag: "--window", defaultValue: "60s", allowed: "aggregation window, 1s-1h: a longer session makes one record per window"),
        Knob(key: "network.domain", environment: "NETWORK_DOMAIN", flag: nil, defaultValue: "internal.prod", allowed: "the suffix of internal host names"),
        Knob(key: "network.load.curve", environment: "LOAD_CURVE", flag: "--load-curve", defaultValue: "diurnal", allowed: "diurnal or off (flat, for every role)"),
        Knob(key: "network.load.peak_hour", environment: "LOAD_PEAK_HOUR", flag: "--peak-hour", defaultValue: "each role kind's (14 workstations, 20 servers and internet users)", allowed: "local hour 0-23.99"),
        Knob(key: "network.load.peak_to_trough", environment: "LOAD_PEAK_TO_TROUGH", flag: "--peak-to-trough", defaultValue: "each role kind's (6 workstations, 3 servers)", allowed: "1-1000"),
        Knob(key: "network.load.weekend_factor", environment: "LOAD_WEEKEND_FACTOR", flag: "--weekend-factor", defaultValue: "each role kind's (0.2 workstations, 1.15 servers)", allowed: "0.01-100"),
        Knob(key: "network.load.timezone", environment: "LOAD_TIMEZONE", flag: "--timezone", defaultValue: "UTC", allowed: "UTC, +HH:MM, -5, or a zone name such as America/New_York"),
        Knob(key: "network.background.enabled", environment: "BACKGROUND_ENABLED", flag: nil, defaultValue: "true", allowed: "false turns off every normal lookalike below"),
        Knob(key: "network.background.refused", environment: "BACKGROUND_REFUSED", flag: nil, defaultValue: "0.004", allowed: "share of TCP sessions refused (SYN, RST), 0-0.5"),
        Knob(key: "network.background.resets", environment: "BACKGROUND_RESETS", flag: nil, defaultValue: "0.03", allowed: "share of TCP sessions ended by RST, 0-0.5"),
        Knob(key: "network.background.timeouts", environment: "BACKGROUND_TIMEOUTS", flag: nil, defaultValue: "0.002", allowed: "share of SYNs and DNS queries never answered, 0-0.5"),
        Knob(key: "network.background.internet_noise", environment: "BACKGROUND_INTERNET_NOISE", flag: nil, defaultValue: "0.01", allowed: "share of records that are internet background noise, 0-0.5"),
        Knob(key: "network.background.noise_sources", environment: "BACKGROUND_NOISE_SOURCES", flag: nil, defaultValue: "20000", allowed: "outside hosts the noise comes from, 1-1000000"),
        Knob(key: "network.background.backup_hour", environment: "BACKGROUND_BACKUP_HOUR", flag: nil, defaultValue: "2", allowed: "local hour of the nightly backups of db hosts to object storage, or off"),
        Knob(key: "network.background.backup_size", environment: "BACKGROUND_BACKUP_SIZE", flag: nil, defaultValue: "2GB", allowed: "bytes of one backup, 1MB-8TB"),
        Knob(key: "network.background.large_uploads", environment: "BACKGROUND_LARGE_UPLOADS", flag: nil, defaultValue: "0.02", allowed: "share of workstation sessions to object storage that upload 5-500 MB, 0-0.5"),
        Knob(key: "network.background.slow_at_peak", environment: "BACKGROUND_SLOW_AT_PEAK", flag: nil, defaultValue: "3", allowed: "how much slower services answer at their daily peak, 1-100"),
        Knob(key: "network.background.dns_txt", environment: "BACKGROUND_DNS_TXT", flag: nil, defaultValue: "0.03", allowed: "share of DNS queries for TXT records, 0-0.5"),
        Knob(key: "network.background.dns_long_names", environment: "BACKGROUND_DNS_LONG_NAMES", flag: nil, defaultValue: "0.05", allowed: "share of DNS queries for long names, 0-0.5"),
        Knob(key: "network.background.vulnerability_scan.hour", environment: "BACKGROUND_VULN_SCAN_HOUR", flag: nil, defaultValue: "3", allowed: "local hour of the authorised scanner's daily run, or off"),
        Knob(key: "network.background.vulnerability_scan.ports", environment: "BACKGROUND_VULN_SCAN_PORTS", flag: nil, defaultValue: "200", allowed: "ports it probes on each server, 1-65535"),
        Knob(key: "network.background.vulnerability_scan.spacing_ms", environment: "BACKGROUND_VULN_SCAN_SPACING_MS", flag: nil, defaultValue: "15", allowed: "milliseconds between its probes, 0.1-60000"),
        Knob(key: "network.exfil_targets", environment: "NETWORK_EXFIL_TARGETS", flag: nil, defaultValue: "203.0.113.0/24,198.51.100.0/24", allowed: "CIDR networks"),
        Knob(key: "network.scan_sources", environment: "NETWORK_SCAN_SOURCES", flag: nil, defaultValue: "192.168.1.99/32,45.33.32.0/24", allowed: "CIDR networks"),
        Knob(key: "kafka.brokers", environment: "KAFKA_BROKERS", flag: "--kafka-brokers", defaultValue: "localhost:19092,localhost:29092,localhost:39092", allowed: "host:port pairs, comma-separated; an empty value is an error"),
        Knob(key: "kafka.topic", environment: "KAFKA_TOPIC", flag: "--kafka-topic", defaultValue: "network-telemetry", allowed: "1-249 of A-Z a-z 0-9 . _ -"),
        Knob(key: "kafka.compression", environment: "KAFKA_COMPRESSION", flag: "--kafka-compression", defaultValue: "zstd", allowed: "none, gzip, snappy, lz4, zstd"),
        Knob(key: "kafka.acks", environment: "KAFKA_ACKS", flag: "--kafka-acks", defaultValue: "all", allowed: "all, 1, 0"),
        Knob(key: "kafka.idempotence", environment: "KAFKA_IDEMPOTENCE", flag: "--kafka-idempotence", defaultValue: "true (with acks=all)", allowed: "true or false; true needs acks=all"),
        Knob(key: "kafka.linger_ms", environment: "KAFKA_LINGER_MS", flag: "--kafka-linger-ms", defaultValue: "10", allowed: "0-900000"),
        Knob(key: "kafka.batch_bytes", environment: "KAFKA_BATCH_BYTES", flag: "--kafka-batch-bytes", defaultValue: "1MB", allowed: "bytes or 64KB, 1MB; at most 2GB"),
        Knob(key: "kafka.queue_messages", environment: "KAFKA_QUEUE_MESSAGES", flag: "--kafka-queue-messages", defaultValue: "500000", allowed: "1-10000000; produce waits while the queue is full"),
        Knob(key: "kafka.queue_bytes", environment: "KAFKA_QUEUE_BYTES", flag: "--kafka-queue-bytes", defaultValue: "64MB", allowed: "4MB-1TB of queued payload; produce waits while it is full"),
        Knob(key: "kafka.slot_headers", environment: "KAFKA_SLOT_HEADERS", flag: "--kafka-slot-headers", defaultValue: "false", allowed: "true or false: each message carries its record's generator_id and seq as headers (dead letters keep them); costs a quarter to a third of the producing rate"),
        Knob(key: "kafka.key", environment: "KAFKA_KEY", flag: "--kafka-key", defaultValue: "src_ip", allowed: "src_ip, event_id, none"),
        Knob(key: "kafka.message_timeout", environment: "KAFKA_MESSAGE_TIMEOUT", flag: "--kafka-message-timeout", defaultValue: "300s", allowed: "a duration: how long one record is retried"),
        Knob(key: "kafka.flush_timeout", environment: "KAFKA_FLUSH_TIMEOUT", flag: "--kafka-flush-timeout", defaultValue: "30s", allowed: "a duration: how long shutdown waits for deliveries"),
        Knob(key: "kafka.connect_timeout", environment: "KAFKA_CONNECT_TIMEOUT", flag: "--kafka-connect-timeout", defaultValue: "10s", allowed: "a duration: how long to wait for a first answer"),
        Knob(key: "kafka.client_id", environment: "KAFKA_CLIENT_ID", flag: nil, defaultValue: "netchaos", allowed: "any text"),
        Knob(key: "kafka.group_id", environment: "KAFKA_GROUP_ID", flag: "--group", defaultValue: "telemetry-sink-group", allowed: "1-255 printable characters (consumers)"),
        Knob(key: "kafka.offset_reset", environment: "KAFKA_OFFSET_RESET", flag: "--offset-reset", defaultValue: "earliest", allowed: "earliest or latest (consumers)"),
        Knob(key: "kafka.group_instance_id", environment: "KAFKA_GROUP_INSTANCE_ID", flag: "--group-instance-id", defaultValue: "auto (the sink: host, group, topic and store, and a free slot on the host)", allowed: "auto, none, or an id (consumers: static group membership)"),
        Knob(key: "kafka.session_timeout", environment: "KAFKA_SESSION_TIMEOUT", flag: nil, defaultValue: "10s", allowed: "a duration (consumers)"),
        Knob(key: "kafka.security_protocol", environment: "KAFKA_SECURITY_PROTOCOL", flag: nil, defaultValue: "plaintext", allowed: "plaintext, ssl, sasl_plaintext, sasl_ssl"),
        Knob(key: "kafka.sasl_mechanism", environment: "KAFKA_SASL_MECHANISM", flag: nil, defaultValue: "none", allowed: "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER, GSSAPI"),
        Knob(key: "kafka.sasl_username", environment: "KAFKA_SASL_USERNAME", flag: nil, defaultValue: "none", allowed: "any text"),
        Knob(key: "kafka.sasl_password", environment: "KAFKA_SASL_PASSWORD", flag: nil, defaultValue: "none", allowed: "any text (secret, never logged)"),
        Knob(key: "kafka.ssl_ca_location", environment: "KAFKA_SSL_CA_LOCATION", flag: nil, defaultValue: "system CAs", allowed: "a PEM file"),
        Knob(key: "kafka.ssl_certificate_location", environment: "KAFKA_SSL_CERTIFICATE_LOCATION", flag: nil, defaultValue: "none", allowed: "a PEM file (client certificate)"),
        Knob(key: "kafka.ssl_key_location", environment: "KAFKA_SSL_KEY_LOCATION", flag: nil, defaultValue: "none", allowed: "a PEM file (client key)"),
        Knob(key: "kafka.ssl_key_password", environment: "KAFKA_SSL_KEY_PASSWORD", flag: nil, defaultValue: "none", allowed: "any text (secret, never logged)"),
        Knob(key: "kafka.properties", environment: "KAFKA_PROPERTY_<NAME>", flag: "--kafka-property", defaultValue: "none", allowed: "any librdkafka property: NAME=VALUE flags, KAFKA_PROPERTY_SOCKET_TIMEOUT_MS=5000, or a YAML map kafka.properties; applied last"),
        Knob(key: "sink.store", environment: "SINK_STORE", flag: "--store", defaultValue: "file:./netchaos-data, or s3 when an S3 endpoint, MINIO_ENDPOINT or AWS credentials are set", allowed: "file:PATH or s3://BUCKET[/PREFIX]"),
        Knob(key: "sink.prefix", environment: "SINK_PREFIX", flag: "--prefix", defaultValue: "ingest", allowed: "object key prefix for valid records, without leading /"),
        Knob(key: "sink.format", environment: "SINK_FORMAT", flag: "--format", defaultValue: "json.gz", allowed: "json.gz (NDJSON gzip), json.zst (NDJSON zstd), parquet (zstd; dead letters stay json.gz)"),
        Knob(key: "sink.compression_level", environment: "SINK_COMPRESSION_LEVEL", flag: "--compression-level", defaultValue: "1 (gzip), 3 (zstd), 1 (parquet)", allowed: "gzip 1-12, zstd and parquet 1-19"),
        Knob(key: "sink.batch_size", environment: "BATCH_SIZE", flag: "--batch-size", defaultValue: "2000", allowed: "records per object, 1-10000000"),
        Knob(key: "sink.batch_bytes", environment: "BATCH_BYTES", flag: "--batch-bytes", defaultValue: "16MB", allowed: "uncompressed bytes per object, 1KB-2GB"),
        Knob(key: "sink.flush_interval", environment: "FLUSH_INTERVAL_SEC", flag: "--flush-interval", defaultValue: "5s", allowed: "a duration > 0: the oldest record of a batch waits at most this long", aliases: ["FLUSH_INTERVAL"]),
        Knob(key: "sink.memory_bytes", environment: "SINK_MEMORY_BYTES", flag: "--memory", defaultValue: "256MB", allowed: "bytes held by open and uploading batches, 1MB-64GB; above it the largest batch flushes first and reading pauses"),
        Knob(key: "sink.upload_concurrency", environment: "SINK_UPLOAD_CONCURRENCY", flag: "--upload-concurrency", defaultValue: "8", allowed: "1-256 objects uploading at once (one per partition at a time)"),
        Knob(key: "sink.retry_initial", environment: "SINK_RETRY_INITIAL", flag: nil, defaultValue: "200ms", allowed: "a duration: first backoff after a failed upload (doubles, with jitter)"),
        Knob(key: "sink.retry_max", environment: "SINK_RETRY_MAX", flag: nil, defaultValue: "30s", allowed: "a duration: longest backoff between upload attempts"),
        Knob(key: "sink.dlq", environment: "SINK_DLQ", flag: "--dlq", defaultValue: "store", allowed: "store (objects under dlq/), kafka (topic <topic>.dlq), both"),
        Knob(key: "sink.dlq_topic", environment: "SINK_DLQ_TOPIC", flag: "--dlq-topic", defaultValue: "<topic>.dlq", allowed: "a Kafka topic name"),
        Knob(key: "sink.shutdown_timeout", environment: "SINK_SHUTDOWN_TIMEOUT", flag: nil, defaultValue: "30s", allowed: "a duration: how long SIGTERM waits for the last uploads"),
        Knob(key: "sink.stop_at_end", environment: "SINK_STOP_AT_END", flag: "--stop-at-end", defaultValue: "false", allowed: "true: exit 0 once every assigned partition is stored and committed up to its end"),
        Knob(key: "s3.endpoint", environment: "AWS_ENDPOINT_URL_S3", flag: "--s3-endpoint", defaultValue: "AWS: https://s3.<region>.amazonaws.com", allowed: "http(s)://host[:port], or host:port (MinIO style, https when s3.secure)", aliases: ["AWS_ENDPOINT_URL", "MINIO_ENDPOINT"]),
        Knob(key: "s3.secure", environment: "MINIO_SECURE", flag: nil, defaultValue: "false", allowed: "true or false: https for a host:port endpoint"),
        Knob(key: "s3.region", environment: "AWS_REGION", flag: "--s3-region", defaultValue: "us-east-1", allowed: "an AWS region name", aliases: ["AWS_DEFAULT_REGION"]),
        Knob(key: "s3.bucket", environment: "MINIO_BUCKET", flag: "--bucket", defaultValue: "telemetry-data", allowed: "3-63 of a-z 0-9 . -", aliases: ["MINIO_BUCKET_NAME", "S3_BUCKET"]),
        Knob(key: "s3.access_key_id", environment: "AWS_ACCESS_KEY_ID", flag: nil, defaultValue: "none", allowed: "an access key id", aliases: ["MINIO_ACCESS_KEY"]),
        Knob(key: "s3.secret_access_key", environment: "AWS_SECRET_ACCESS_KEY", flag: nil, defaultValue: "none", allowed: "a secret key (secret, never logged)", aliases: ["MINIO_SECRET_KEY"]),
        Knob(key: "s3.session_token", environment: "AWS_SESSION_TOKEN", flag: nil, defaultValue: "none", allowed: "a session token (secret, never logged)"),
        Knob(key: "s3.path_style", environment: "S3_PATH_STYLE", flag: "--s3-path-style", defaultValue: "true with a custom endpoint, else false", allowed: "true (endpoint/bucket/key) or false (bucket.endpoint/key)"),
        Knob(key: "s3.create_bucket", environment: "S3_CREATE_BUCKET", flag: nil, defaultValue: "true", allowed: "true or false: create the bucket when it is missing"),
        Knob(key: "s3.multipart_threshold", environment: "S3_MULTIPART_THRESHOLD", flag: nil, defaultValue: "16MB", allowed: "objects at least this large upload in parts; 1MB-5GB (below the part size: one part)"),
        Knob(key: "s3.part_size", environment: "S3_PART_SIZE", flag: nil, defaultValue: "8MB", allowed: "5MB-5GB"),
        Knob(key: "s3.checksum", environment: "S3_CHECKSUM", flag: nil, defaultValue: "crc32", allowed: "crc32 (x-amz-checksum-crc32) or md5 (Content-MD5): what a PUT carries for the store to verify"),
        Knob(key: "s3.request_timeout", environment: "S3_REQUEST_TIMEOUT", flag: nil, defaultValue: "30s", allowed: "a duration: one HTTP request to the store"),
        // The message producer's configuration, accepted as it is.
        Knob(key: "producer.message_count", environment: "PRODUCER_MESSAGE_COUNT", flag: nil, defaultValue: "as generator.count", allowed: "records >= 0; 0 = continuous (generator.count wins when both are set)"),
        Knob(key: "producer.workers", environment: "PRODUCER_WORKERS", flag: nil, defaultValue: "as generator.workers", allowed: "1-256 (generator.workers wins)"),
        Knob(key: "producer.buffer_size", environment: "PRODUCER_BUFFER_SIZE", flag: nil, defaultValue: "as generator.buffer_records", allowed: "1-1048576 (generator.buffer_records wins)"),
        Knob(key: "output.directory", environment: "OUTPUT_DIRECTORY", flag: nil, defaultValue: "none", allowed: "a directory for the message producer's files: output.csv.filename and output.parquet.filename as output.format says (not with outputs)"),
        Knob(key: "output.csv.enabled", environment: "OUTPUT_CSV_ENABLED", flag: nil, defaultValue: "true", allowed: "true or false: false leaves the CSV file out"),
        Knob(key: "output.csv.filename", environment: "OUTPUT_CSV_FILENAME", flag: nil, defaultValue: "<dataset>.csv", allowed: "a file name in output.directory"),
        Knob(key: "output.csv.buffer_size", environment: "OUTPUT_CSV_BUFFER_SIZE", flag: nil, defaultValue: "none", allowed: "records >= 1; accepted for the message producer, no effect (every output writes whole chunks)"),
        Knob(key: "output.parquet.enabled", environment: "OUTPUT_PARQUET_ENABLED", flag: nil, defaultValue: "true", allowed: "true or false: false leaves the Parquet file out"),
        Knob(key: "output.parquet.filename", environment: "OUTPUT_PARQUET_FILENAME", flag: nil, defaultValue: "<dataset>.parquet", allowed: "a file name in output.directory"),
        Knob(key: "kafka.enabled", environment: "KAFKA_ENABLED", flag: nil, defaultValue: "false", allowed: "true or false: true adds a Kafka output (kafka.brokers, kafka.topic) when outputs names none"),
        Knob(key: "kafka.batch_size", environment: "KAFKA_BATCH_SIZE", flag: nil, defaultValue: "10000 (librdkafka)", allowed: "messages per batch, 1-1000000 (batch.num.messages)"),
        Knob(key: "kafka.flush_frequency", environment: "KAFKA_FLUSH_FREQUENCY", flag: nil, defaultValue: "as kafka.linger_ms", allowed: "milliseconds 0-900000 (kafka.linger_ms wins)"),
        Knob(key: "kafka.async", environment: "KAFKA_ASYNC", flag: nil, defaultValue: "true", allowed: "true or false; accepted for the message producer: producing is always asynchronous, with every delivery report counted"),
        Knob(key: "metrics.interval", environment: "METRICS_INTERVAL", flag: nil, defaultValue: "as log.interval_sec", allowed: "seconds >= 0 (log.interval_sec wins)"),
        Knob(key: "metrics.detailed", environment: "METRICS_DETAILED", flag: nil, defaultValue: "as log.detailed", allowed: "true or false (log.detailed wins)"),
        Knob(key: "metrics.port", environment: "METRICS_PORT", flag: "--metrics-port", defaultValue: "none (ingest and up serve /metrics on their own port)", allowed: "0-65535: serve GET /metrics (Prometheus) on this port (generate, sink; 0: a free port, logged)"),
        Knob(key: "metrics.host", environment: "METRICS_HOST", flag: "--metrics-host", defaultValue: "0.0.0.0", allowed: "an address for the /metrics server to listen on"),
        // netchaos up.
        Knob(key: "up.host", environment: "UP_HOST", flag: "--host", defaultValue: "0.0.0.0", allowed: "an address for up's HTTP port to listen on"),
        Knob(key: "up.port", environment: "UP_PORT", flag: "--port", defaultValue: "8080", allowed: "0-65535: the live page, /metrics and the ingester API (0: a free port, logged)"),
        Knob(key: "up.partitions", environment: "UP_PARTITIONS", flag: "--partitions", defaultValue: "4", allowed: "1-256 partitions of the in-process queue (without Kafka)"),
        Knob(key: "up.reconcile_interval", environment: "UP_RECONCILE_INTERVAL", flag: "--reconcile-interval", defaultValue: "5s", allowed: "how often up accounts for every flow record in the store (a duration; 0 or off: never)"),
        Knob(key: "up.queue_bytes", environment: "UP_QUEUE_BYTES", flag: "--queue-bytes", defaultValue: "64MB", allowed: "1MB-16GB of records the in-process queue holds; generation waits while it is full"),
        // The ingester (the Go ingester's settings too).
        Knob(key: "ingest.host", environment: "INGEST_HOST", flag: "--host", defaultValue: "0.0.0.0", allowed: "an address to listen on"),
        Knob(key: "ingest.port", environment: "INGEST_PORT", flag: "--port", defaultValue: "8080", allowed: "0-65535 (0: a free port, logged)"),
        Knob(key: "ingest.max_body", environment: "INGEST_MAX_BODY", flag: "--max-body", defaultValue: "16MB", allowed: "1KB-1GB; larger bodies get 413"),
        Knob(key: "ingest.token", environment: "INGEST_TOKEN", flag: nil, defaultValue: "none (writes open)", allowed: "a bearer token POST /telemetry needs (secret, never logged)"),
        Knob(key: "ingest.report_ttl", environment: "INGEST_REPORT_TTL", flag: nil, defaultValue: "30s", allowed: "how long a snapshot's reports live, at least 1s"),
        Knob(key: "ingest.history", environment: "INGEST_HISTORY", flag: nil, defaultValue: "360", allowed: "history length: reports kept per switch (Redis: snapshots kept), 1-100000"),
        Knob(key: "ingest.generator_url", environment: "GENERATOR_URL", flag: "--generator-url", defaultValue: "none", allowed: "http(s)://host:port of a generator serving /counters (pull mode)"),
        Knob(key: "ingest.pull_interval", environment: "PULL_INTERVAL", flag: "--pull-interval", defaultValue: "10s", allowed: "a duration, at least 10ms"),
        Knob(key: "ingest.max_future_skew", environment: "INGEST_MAX_FUTURE_SKEW", flag: "--max-future-skew", defaultValue: "5m", allowed: "a duration, at least 1s: a record whose timestamp is further ahead of the server's clock is refused (400)"),
        Knob(key: "ingest.lenient", environment: "INGEST_LENIENT", flag: "--lenient", defaultValue: "false", allowed: "true or false: true accepts duplicate keys (the last wins) and unknown fields or CSV columns (skipped), counted"),
        // Every HTTP server of the process (ingest, up, /metrics of generate and sink, serve://).
        Knob(key: "http.tls_cert", environment: "HTTP_TLS_CERT", flag: "--tls-cert", defaultValue: "none (plain HTTP)", allowed: "a PEM file: the server's certificate chain (with http.tls_key: HTTPS, HTTP/2 where the client asks)"),
        Knob(key: "http.tls_key", environment: "HTTP_TLS_KEY", flag: "--tls-key", defaultValue: "none", allowed: "a PEM file: the certificate's private key"),
        Knob(key: "http.read_token", environment: "HTTP_READ_TOKEN", flag: "--read-token", defaultValue: "none (reads open)", allowed: "a bearer token every GET but /health needs, /metrics included (secret, never logged; the write token also reads)"),
        Knob(key: "http.idle_timeout", environment: "HTTP_IDLE_TIMEOUT", flag: "--idle-timeout", defaultValue: "60s", allowed: "a duration, 1s-1h: a connection with no request in progress for this long is closed"),
        Knob(key: "http.header_timeout", environment: "HTTP_HEADER_TIMEOUT", flag: "--header-timeout", defaultValue: "10s", allowed: "a duration, 100ms-10m: a request's line and headers must arrive within it (else 408)"),
        Knob(key: "http.max_connections", environment: "HTTP_MAX_CONNECTIONS", flag: "--max-connections", defaultValue: "1024", allowed: "1-1000000 open connections; more are answered 503 and closed"),
        Knob(key: "redis.url", environment: "REDIS_URL", flag: "--redis", defaultValue: "none (metrics in memory)", allowed: "redis://[:password@]host[:port][/db]"),
        Knob(key: "redis.host", environment: "REDIS_HOST", flag: nil, defaultValue: "none", allowed: "the Go ingester's: a host, with redis.port"),
        Knob(key: "redis.port", environment: "REDIS_PORT", flag: nil, defaultValue: "6379", allowed: "1-65535"),
        Knob(key: "redis.connections", environment: "REDIS_CONNECTIONS", flag: nil, defaultValue: "2", allowed: "pipelined connections, 1-64"),
        Knob(key: "redis.timeout", environment: "REDIS_TIMEOUT", flag: nil, defaultValue: "2s", allowed: "a duration: one Redis command"),
        Knob(key: "log.interval_sec", environment: "NETCHAOS_LOG_INTERVAL", flag: "--log-interval", defaultValue: "5", allowed: "seconds >= 0; 0 = no periodic lines"),
        Knob(key: "log.detailed", environment: "NETCHAOS_LOG_DETAILED", flag: nil, defaultValue: "false", allowed: "true or false: periodic lines also count records and bytes per output"),
        Knob(key: "log.progress", environment: "NETCHAOS_PROGRESS", flag: "--progress", defaultValue: "auto", allowed: "auto (a live line when stderr is a terminal), on, off"),
        Knob(key: "log.level", environment: "LOG_LEVEL", flag: "--log-level", defaultValue: "info", allowed: "trace, debug, info, notice, warning, error, critical"),
    ]

    static let byKey: [String: Knob] = Dictionary(uniqueKeysWithValues: knobs.map { ($0.key, $0) })

    /// The environment variable name for a key.
    public static func environmentName(of key: String) -> String? { byKey[key]?.environment }

    /// The message producer's data files: accepted in a configuration file and not read (a note
    /// says so; reference data is one file, `generator.reference_data`).
    public static let unreadProducerKeys = ["data.currency_rates", "data.agents", "data.game_categories", "data.currencies"]

    /// The keys a configuration file may hold (the knobs'; sections of them are their prefixes).
    public static let yamlKeys: Set<String> = Set(knobs.map(\.key) + unreadProducerKeys)

    /// `key (ENV, --flag)` for messages.
    public static func spellings(of key: String) -> String {
        guard let knob = byKey[key] else { return key }
        var names = [knob.environment]
        if let flag = knob.flag { names.append(flag) }
        return "\(key) (\(names.joined(separator: ", ")))"
    }
}

extension ConfigKeys {
    /// The environment with every knob's primary name filled from its first alias that is set,
    /// when the primary name itself is unset (`MINIO_BUCKET_NAME` answers for `MINIO_BUCKET`).
    public static func resolvingAliases(_ environment: [String: String]) -> [String: String] {
        var resolved = environment
        for knob in knobs where resolved[knob.environment] == nil {
            if let alias = knob.aliases.first(where: { environment[$0] != nil }) {
                resolved[knob.environment] = environment[alias]
            }
        }
        return resolved
    }
}

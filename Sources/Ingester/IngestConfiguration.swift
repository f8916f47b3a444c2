import Configuration
import RedisClient
import Settings
import TransportSettings

/// `netchaos ingest`: where it listens, what it accepts, where it keeps metrics, and where it
/// pulls them from (see the `ingest.*` and `redis.*` knobs).
public struct IngestConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Largest request body (413 above).
    public var maxBodyBytes: Int
    /// Bearer token writes need (nil: writes are open).
    public var token: String?
    /// Seconds a snapshot's reports live (the Go ingester's 30 s TTL).
    public var reportTTL: Double
    /// Reports kept per switch.
    public var historyLength: Int
    /// Redis, when configured; else the in-memory store.
    public var redis: RedisConfiguration?
    /// A generator's base URL to pull `/counters` from (the Go ingester's mode), and how often.
    public var generatorURL: String?
    public var pullInterval: Double
    /// Seconds a record's timestamp may be ahead of the server's clock (`ingest.max_future_skew`).
    public var maxFutureSkew: Double
    /// Duplicate keys and unknown fields accepted and counted instead of refused (`ingest.lenient`).
    public var lenient: Bool

    public init(
        host: String = "0.0.0.0", port: Int = 8080, maxBodyBytes: Int = 16 << 20, token: String? = nil, reportTTL: Double = 30,
        historyLength: Int = 360, redis: RedisConfiguration? = nil, generatorURL: String? = nil, pullInterval: Double = 10,
        maxFutureSkew: Double = 300, lenient: Bool = false
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.token = token
        self.reportTTL = reportTTL
        self.historyLength = historyLength
        self.redis = redis
        self.generatorURL = generatorURL
        self.pullInterval = pullInterval
        self.maxFutureSkew = maxFutureSkew
        self.lenient = lenient
    }

    /// What `POST /telemetry` accepts.
    public var reportRules: ReportRules { ReportRules(maxFutureSkew: maxFutureSkew, lenient: lenient) }

    public init(config: ConfigReader) throws(ConfigurationError) {
        let values = ConfigValues(config)
        self.init()
        host = values.string("ingest.host") ?? host
        port = try values.int("ingest.port", in: 0...65_535) ?? port
        maxBodyBytes = try values.size("ingest.max_body", in: 1_024...(1 << 30), example: "16MB") ?? maxBodyBytes
        token = values.secret("ingest.token").flatMap { $0.isEmpty ? nil : $0 }
        if let ttl = try values.duration("ingest.report_ttl") {
            guard ttl >= 1 else { throw ConfigurationError(key: "ingest.report_ttl", value: String(ttl), allowed: "at least 1s") }
            reportTTL = ttl
        }
        historyLength = try values.int("ingest.history", in: 1...100_000) ?? historyLength
        redis = try RedisConfiguration(config: config)
        if let url = values.string("ingest.generator_url") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError(key: "ingest.generator_url", value: url, allowed: "http(s)://host:port of a generator serving /counters")
            }
            generatorURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let interval = try values.duration("ingest.pull_interval") {
            guard interval >= 0.01 else { throw ConfigurationError(key: "ingest.pull_interval", value: String(interval), allowed: "at least 10ms") }
            pullInterval = interval
        }
        if let skew = try values.duration("ingest.max_future_skew") {
            guard skew >= 1 else { throw ConfigurationError(key: "ingest.max_future_skew", value: String(skew), allowed: "a duration of at least 1s") }
            maxFutureSkew = skew
        }
        lenient = try values.bool("ingest.lenient") ?? lenient
    }
}

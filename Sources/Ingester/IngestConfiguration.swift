import Configuration
import RedisClient
import Settings
import TransportSettings

/// `netchaos ingest`: where it listens, what it accepts, where it keeps metrics, and where it
/// pulls them from (see the `ingest.*` and `redis.*` knobs).
public struct IngestConfiguration: Sendable, Hashable {
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
        let knobs = Knobs.ingest
        self.init()
        host = try values.value(knobs.host)
        port = try values.value(knobs.port)
        maxBodyBytes = try values.value(knobs.maxBody)
        token = try values.value(knobs.token)
        reportTTL = try values.value(knobs.reportTTL)
        historyLength = try values.value(knobs.history)
        redis = try RedisConfiguration(config: config)
        if let url = try values.value(knobs.generatorUrl) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw values.fail(knobs.generatorUrl, url, "http(s)://host:port of a generator serving /counters")
            }
            generatorURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        pullInterval = try values.value(knobs.pullInterval)
        maxFutureSkew = try values.value(knobs.maxFutureSkew)
        lenient = try values.value(knobs.lenient)
    }
}

import Logging
import RedisClient

/// The store an ingester's configuration asks for: Redis when `redis.*` is set, else memory.
public enum MetricStoreFactory {
    /// The store, and the Redis client to close when done (nil for memory).
    public static func make(_ configuration: IngestConfiguration, logger: Logger) -> (store: any MetricStore, redis: RedisClient?) {
        guard let redis = configuration.redis else {
            let store = MemoryMetricStore(
                reportTTL: configuration.reportTTL, historyLength: configuration.historyLength, maxFutureSkew: configuration.maxFutureSkew
            )
            return (store, nil)
        }
        let client = RedisClient(configuration: redis, logger: Logger(label: "netchaos.redis"))
        let store = RedisMetricStore(
            client: client, reportTTL: Int(configuration.reportTTL.rounded(.up)), historyLength: configuration.historyLength,
            maxFutureSkew: configuration.maxFutureSkew, logger: logger
        )
        return (store, client)
    }
}

import Logging
import RedisClient
import Settings

/// What an ingester checks of its store before it serves. Redis that refuses the connection's
/// settings (a wrong password, a password it wants and was not given, a database it lacks) is a
/// configuration error: the ingester must not start, or it would answer 503 forever. Redis that is
/// merely unreachable is waited for (a warning, then 503 until it answers). Redis that answers
/// gets its `last_update_time` repaired if it is in the future.
public enum MetricStoreStartup {
    /// A store that cannot start; the message names the setting.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func start(_ store: any MetricStore, logger: Logger) async throws(Failure) {
        guard let redis = store as? RedisMetricStore else { return }
        do throws(RedisError) {
            _ = try await redis.client.ping()
        } catch where error.code == .refused {
            throw Failure(description: "\(ConfigKeys.spellings(of: Knobs.redis.url.key)): \(error.message)")
        } catch {
            logger.warning("redis unavailable at start; requests get 503 until it answers", metadata: [
                "ingest.redis": "\(redis.address)", "redis.error": "\(error.message)",
            ])
            return
        }
        do throws(MetricStoreError) {
            // Logs what it repaired; reads check again whenever they find a time in the future.
            _ = try await redis.repairFutureLastUpdate()
        } catch {
            logger.warning("could not check last_update_time at start", metadata: ["ingest.redis": "\(redis.address)", "error": "\(error.detail)"])
        }
    }
}

import Logging
import Synchronization

/// Logs why the store failed requests, with the detail clients do not get (the address, the
/// error): the first failure at once, then at most one line a second with how many requests
/// failed meanwhile, so a store that is away for a while does not flood the log.
final class StoreErrorLog: Sendable {
    private let logger: Logger
    private let interval: Duration
    private let state = Mutex<(last: ContinuousClock.Instant?, unlogged: Int)>((nil, 0))

    init(logger: Logger, interval: Duration = .seconds(1)) {
        self.logger = logger
        self.interval = interval
    }

    func record(_ error: MetricStoreError, path: String) {
        let now = ContinuousClock.now
        let unlogged: Int? = state.withLock { state in
            if let last = state.last, now - last < interval {
                state.unlogged += 1
                return nil
            }
            defer {
                state.last = now
                state.unlogged = 0
            }
            return state.unlogged
        }
        guard let unlogged else { return }
        logger.warning("metrics store failed a request", metadata: [
            "http.path": "\(path)", "error": "\(error.detail)", "ingest.failed_unlogged": "\(unlogged)",
        ])
    }
}

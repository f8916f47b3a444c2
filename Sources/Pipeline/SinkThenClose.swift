import RecordQueue
import ServiceLifecycle
import TelemetrySink

/// The sink of `up`; closes the in-process queue when it ends for any reason, so a generator
/// waiting on a full queue is not left waiting.
struct SinkThenClose: Service {
    let sink: SinkService
    let queue: RecordQueue?
    let stopping: StopLatch

    func run() async throws {
        defer { queue?.close() }
        try await sink.run()
        // Stopped by a signal, the sink finishes as soon as the generator has (it stores what was
        // queued): the group shuts services down one by one and counts one that returns before
        // its turn as a failure, so wait for the turn.
        if stopping.isSet { try? await gracefulShutdown() }
    }
}

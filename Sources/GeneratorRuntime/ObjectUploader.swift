import Foundation
import ObjectStorage

/// Hands objects from the writer thread to an object store (a directory or S3, whose API is
/// async): the writer enqueues and waits only while too many uploads are pending; a task of the
/// generator's task group uploads them in order. A failed upload fails the output that enqueued.
///
/// Sendable: `pending`, `failure` and `uploaded` are read and written only under `condition` (an
/// NSCondition); the rest is `let`: a Sendable store, the stream's Sendable continuation, and the
/// stream itself, which only ``run()`` (one task) iterates.
final class ObjectUploader: @unchecked Sendable {
    let store: any ObjectStore
    private let condition = NSCondition()
    private var pending = 0
    private var failure: String?
    private let limit: Int
    private let stream: AsyncStream<(key: String, body: [UInt8])>
    private let continuation: AsyncStream<(key: String, body: [UInt8])>.Continuation
    private(set) var uploaded: UInt64 = 0

    init(store: any ObjectStore, limit: Int = 8) {
        self.store = store
        self.limit = limit
        (stream, continuation) = AsyncStream.makeStream(of: (key: String, body: [UInt8]).self)
    }

    /// Uploads until ``close()``.
    func run() async {
        for await object in stream {
            var error: String?
            do throws(ObjectStoreError) {
                _ = try await store.put(key: object.key, body: object.body, contentType: "application/gzip")
            } catch let failed {
                error = failed.description
            }
            completed(error: error)
        }
    }

    private func completed(error: String?) {
        condition.lock()
        pending -= 1
        if error != nil && failure == nil { failure = error }
        if error == nil { uploaded += 1 }
        condition.broadcast()
        condition.unlock()
    }

    /// Queues an object; waits while `limit` are pending. Throws the first failed upload.
    func enqueue(key: String, body: [UInt8]) throws(OutputError) {
        condition.lock()
        while pending >= limit && failure == nil { condition.wait() }
        if let failure {
            condition.unlock()
            throw OutputError(output: store.location, operation: "upload to", detail: failure)
        }
        pending += 1
        condition.unlock()
        continuation.yield((key, body))
    }

    /// Waits for every queued object; throws the first failed upload.
    func drain() throws(OutputError) {
        condition.lock()
        while pending > 0 && failure == nil { condition.wait() }
        let failure = failure
        condition.unlock()
        if let failure { throw OutputError(output: store.location, operation: "upload to", detail: failure) }
    }

    /// Ends ``run()`` once the queue is empty.
    func close() { continuation.finish() }
}

/// Where sink batches land: an S3 bucket (AWS, MinIO, moto) or a local directory laid out like
/// a bucket. Keys are `/`-separated paths without a leading `/`.
///
/// `put` replaces any object of the same key, so a batch re-uploaded after a crash overwrites
/// itself instead of duplicating; it returns only when the object is stored.
public protocol ObjectStore: Sendable {
    /// Where objects go, for logs and messages (`s3://bucket/prefix`, `file:/abs/path`).
    var location: String { get }
    /// Makes sure the bucket or directory exists, creating it when so configured; fails with a
    /// clear error when it cannot be reached or used.
    func prepare() async throws(ObjectStoreError)
    /// Stores `body` under `key`, replacing what was there.
    func put(key: String, body: [UInt8], contentType: String) async throws(ObjectStoreError) -> StoredObject
    /// The whole object.
    func get(key: String) async throws(ObjectStoreError) -> [UInt8]
    /// Every object whose key starts with `prefix`, in key order.
    func list(prefix: String) async throws(ObjectStoreError) -> [StoredObject]
    /// Removes the object; removing a missing object is not an error.
    func delete(key: String) async throws(ObjectStoreError)
    /// The object's size and entity tag, or nil when there is no such key.
    func head(key: String) async throws(ObjectStoreError) -> StoredObject?
    /// Releases connections and threads (the S3 store's HTTP client). Call once, after the last
    /// operation; the store is unusable afterwards.
    func shutdown() async
}

extension ObjectStore {
    /// Default: the listing entry of exactly `key`.
    public func head(key: String) async throws(ObjectStoreError) -> StoredObject? {
        try await list(prefix: key).first { $0.key == key }
    }

    /// Default: nothing to release.
    public func shutdown() async {}
}

/// One stored object.
public struct StoredObject: Sendable, Hashable {
    public var key: String
    public var size: Int
    /// The store's entity tag where it has one (S3), without quotes.
    public var etag: String?

    public init(key: String, size: Int, etag: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}

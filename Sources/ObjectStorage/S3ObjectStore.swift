import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An `ObjectStore` on S3 or any S3-compatible server (MinIO, moto), over AsyncHTTPClient with
/// SigV4-signed requests.
///
/// The store owns one `HTTPClient`: call `shutdown()` once after the last operation (in debug
/// builds AsyncHTTPClient traps when a client is released without it).
///
/// Every request sends `x-amz-content-sha256` of its body, so the server verifies what it stores;
/// PUTs also send a checksum of the body (`x-amz-checksum-crc32` by default, or `Content-MD5`;
/// parts always `Content-MD5`). Objects of at least `multipartThreshold` bytes upload in parts of
/// `partSize` (up to four at once); a failed multipart upload is aborted.
///
/// Errors: no connection -> `.unreachable` (retriable); no answer within `requestTimeout` ->
/// `.timeout` (retriable); 5xx, 429, `SlowDown` -> `.server` (retriable); 401/403,
/// `SignatureDoesNotMatch`, `InvalidAccessKeyId` -> `.accessDenied`; `NoSuchBucket` ->
/// `.noSuchBucket`; `NoSuchKey` -> `.notFound`. Messages carry the server's `<Code>` and `<Message>`.
/// The store itself never retries: `isRetriable` tells the caller (the sink backs off and tries again).
public final class S3ObjectStore: ObjectStore, Sendable {
    public let configuration: S3Configuration
    public let location: String
    let endpoint: S3Endpoint
    let signer: SigV4Signer
    let client: HTTPClient
    let logger: Logger
    /// `max-keys` of each listing request; nil leaves it to the server (1000 on S3).
    let listPageSize: Int?

    /// Checks `configuration` (`validate()`) and starts the HTTP client.
    public convenience init(configuration: S3Configuration, logger: Logger = Logger(label: "netchaos.s3")) throws(StoreConfigurationError) {
        try self.init(configuration: configuration, logger: logger, listPageSize: nil)
    }

    init(configuration: S3Configuration, logger: Logger, listPageSize: Int?) throws(StoreConfigurationError) {
        try configuration.validate()
        self.listPageSize = listPageSize
        self.configuration = configuration
        self.location = configuration.location
        self.endpoint = configuration.resolvedEndpoint
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
        self.logger = logger
        let timeout = TimeAmount.nanoseconds(Int64(configuration.requestTimeout * 1_000_000_000))
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
            decompression: .disabled
        )
        // Fail a request at once when the endpoint refuses connections: the caller decides about
        // retrying (the sink backs off), instead of each request silently retrying until its deadline.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    public func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("s3 client shutdown", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - ObjectStore

    public func prepare() async throws(ObjectStoreError) {
        let operation = "HEAD \(configuration.location) at \(endpoint)"
        let response = try await send(S3Call(method: .HEAD, key: nil), operation: operation)
        switch response.status {
        case 200...299:
            return
        case 404:
            guard configuration.createBucket else {
                throw ObjectStoreError(
                    .noSuchBucket, operation: operation,
                    message: "bucket '\(configuration.bucket)' does not exist; create it, or set s3.create_bucket (S3_CREATE_BUCKET) to true",
                    status: 404
                )
            }
            try await createBucket()
        default:
            // HEAD answers carry no error document: ask again with a GET that does.
            let diagnosis = try? await send(S3Call(method: .GET, key: nil, query: [("list-type", "2"), ("max-keys", "0")]), operation: operation)
            if let diagnosis, !(200...299).contains(diagnosis.status) {
                throw error(for: diagnosis, operation: operation)
            }
            throw error(for: response, operation: operation)
        }
    }

    public func put(key: String, body: [UInt8], contentType: String) async throws(ObjectStoreError) -> StoredObject {
        let objectKey = try fullKey(key, operation: "PUT")
        if body.count >= configuration.multipartThreshold {
            return try await putMultipart(key: key, objectKey: objectKey, body: body, contentType: contentType)
        }
        let operation = "PUT \(url(objectKey))"
        let response = try await send(
            S3Call(method: .PUT, key: objectKey, headers: [("content-type", Self.contentType(contentType))], body: body[...], checksum: configuration.checksum),
            operation: operation
        )
        guard (200...299).contains(response.status) else { throw error(for: response, operation: operation) }
        return StoredObject(key: key, size: body.count, etag: response.headers.first(name: "etag").map(S3ListPage.unquotedETag))
    }

    public func get(key: String) async throws(ObjectStoreError) -> [UInt8] {
        let objectKey = try fullKey(key, operation: "GET")
        let operation = "GET \(url(objectKey))"
        let response = try await send(S3Call(method: .GET, key: objectKey), operation: operation)
        guard (200...299).contains(response.status) else { throw error(for: response, operation: operation) }
        return response.body
    }

    public func head(key: String) async throws(ObjectStoreError) -> StoredObject? {
        let objectKey = try fullKey(key, operation: "HEAD")
        let operation = "HEAD \(url(objectKey))"
        let response = try await send(S3Call(method: .HEAD, key: objectKey), operation: operation)
        if response.status == 404 { return nil }
        guard (200...299).contains(response.status) else { throw error(for: response, operation: operation) }
        let size = response.headers.first(name: "content-length").flatMap { Int($0) } ?? 0
        return StoredObject(key: key, size: size, etag: response.headers.first(name: "etag").map(S3ListPage.unquotedETag))
    }

    public func list(prefix: String) async throws(ObjectStoreError) -> [StoredObject] {
        let operation = "LIST \(url(prefix))"
        try ObjectKey.validatePrefix(prefix, operation: operation)
        let storePrefix = configuration.prefix.isEmpty ? "" : configuration.prefix + "/"
        var objects: [StoredObject] = []
        var token: String?
        repeat {
            var query: [(String, String)] = [("list-type", "2"), ("prefix", storePrefix + prefix)]
            if let token { query.append(("continuation-token", token)) }
            if let listPageSize { query.append(("max-keys", String(listPageSize))) }
            let response = try await send(S3Call(method: .GET, key: nil, query: query), operation: operation)
            guard (200...299).contains(response.status) else { throw error(for: response, operation: operation) }
            guard let page = S3ListPage(parsing: response.body) else {
                throw ObjectStoreError(.server, operation: operation, message: "the listing is not a ListBucketResult document: \(Self.excerpt(response.body))", status: response.status)
            }
            for object in page.objects where object.key.hasPrefix(storePrefix) {
                objects.append(StoredObject(key: String(object.key.dropFirst(storePrefix.count)), size: object.size, etag: object.etag))
            }
            guard page.isTruncated else { break }
            guard let next = page.nextContinuationToken, next != token else {
                throw ObjectStoreError(.server, operation: operation, message: "a truncated listing without a new continuation token", status: response.status)
            }
            token = next
        } while true
        objects.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return objects
    }

    public func delete(key: String) async throws(ObjectStoreError) {
        let objectKey = try fullKey(key, operation: "DELETE")
        let operation = "DELETE \(url(objectKey))"
        let response = try await send(S3Call(method: .DELETE, key: objectKey), operation: operation)
        if (200...299).contains(response.status) { return }
        let failure = error(for: response, operation: operation)
        if failure.code == .notFound { return }
        throw failure
    }

    // MARK: - Bucket

    private func createBucket() async throws(ObjectStoreError) {
        let operation = "CREATE BUCKET \(configuration.bucket) at \(endpoint)"
        var body: [UInt8] = []
        if configuration.region != "us-east-1" {
            body = Array(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(S3XMLElement.escape(configuration.region))</LocationConstraint>"
                    + "</CreateBucketConfiguration>").utf8
            )
        }
        let response = try await send(
            S3Call(method: .PUT, key: nil, headers: body.isEmpty ? [] : [("content-type", "application/xml")], body: body[...]),
            operation: operation
        )
        if (200...299).contains(response.status) {
            logger.info("created bucket", metadata: ["s3.bucket": "\(configuration.bucket)", "s3.region": "\(configuration.region)"])
            return
        }
        let document = S3ErrorDocument(parsing: response.body)
        if document?.code == "BucketAlreadyOwnedByYou" { return }
        if document?.code == "BucketAlreadyExists" {
            throw ObjectStoreError(
                .invalidConfiguration, operation: operation,
                message: "BucketAlreadyExists: bucket names are global and '\(configuration.bucket)' belongs to another account; choose another s3.bucket",
                status: response.status, isRetriable: false
            )
        }
        throw error(for: response, operation: operation)
    }

    // MARK: - Keys and addresses

    /// The key in the bucket: the store's prefix, then `key`.
    func fullKey(_ key: String, operation verb: String) throws(ObjectStoreError) -> String {
        try ObjectKey.validate(key, operation: "\(verb) \(url(key))")
        return configuration.prefix.isEmpty ? key : configuration.prefix + "/" + key
    }

    /// `s3://bucket/key` for messages.
    func url(_ objectKey: String) -> String { "s3://\(configuration.bucket)/\(objectKey)" }

    /// Host header and wire path for a bucket-level (`key` nil) or object request.
    func address(key: String?) -> (authority: String, path: String) {
        // Virtual-hosted names with dots do not match an https wildcard certificate: path-style.
        let pathStyle = configuration.pathStyle || (endpoint.isSecure && configuration.bucket.contains("."))
        if pathStyle {
            let raw = "/" + configuration.bucket + (key.map { "/" + $0 } ?? "")
            return (endpoint.authority, SigV4Encoding.encodePath(raw))
        }
        let host = S3Endpoint(scheme: endpoint.scheme, host: configuration.bucket + "." + endpoint.host, port: endpoint.port)
        return (host.authority, SigV4Encoding.encodePath("/" + (key ?? "")))
    }

    static func contentType(_ text: String) -> String {
        // moto stores nothing for a body typed application/x-www-form-urlencoded, and some servers
        // parse such bodies as forms: objects are never forms.
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty || trimmed.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            return "application/octet-stream"
        }
        return trimmed
    }

    /// The start of a body as text, for messages.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return body.count > 300 ? text + "..." : text
    }
}

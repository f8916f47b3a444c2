import Crypto
import Foundation
import Logging
import Testing
@testable import ObjectStorage
#if canImport(Glibc)
import Glibc
#endif

/// S3 against a real moto_server started by `scripts/moto_server.py` with SigV4 signature checks
/// ON (the script proves a wrong secret is refused before it reports ready). Only 127.0.0.1 is
/// used. Without moto these tests fail with the script's message; they never skip.
@Suite("S3 object store against moto", .timeLimit(.minutes(5)))
struct S3ObjectStoreTests {
    // MARK: - Support

    static let sinkKey = "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+00000000000000120000.json.gz"

    static func bucketName(_ label: String) -> String {
        "nc-\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// A store on moto; shut down after `body`, whatever happens in it.
    func withStore<T>(
        bucket: String, prefix: String = "", region: String? = nil, secret: String? = nil, accessKeyID: String? = nil,
        endpoint: String? = nil, createBucket: Bool = true, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20,
        requestTimeout: Double = 10, listPageSize: Int? = nil,
        _ body: (S3ObjectStore) async throws -> T
    ) async throws -> T {
        // A test with its own endpoint (a closed port, a silent listener) does not need moto.
        let moto = endpoint == nil ? try await MotoServer.shared.instance() : nil
        let target = endpoint ?? moto?.endpoint ?? ""
        guard let parsedEndpoint = S3Endpoint(parsing: target) else { throw MotoStartError(description: "bad endpoint \(target)") }
        let configuration = S3Configuration(
            bucket: bucket, prefix: prefix, region: region ?? moto?.region ?? "us-east-1", endpoint: parsedEndpoint,
            credentials: SigV4Credentials(
                accessKeyID: accessKeyID ?? moto?.accessKeyID ?? "AKIDEXAMPLE", secretAccessKey: secret ?? moto?.secretAccessKey ?? "secret"
            ),
            createBucket: createBucket, multipartThreshold: multipartThreshold, partSize: partSize, requestTimeout: requestTimeout
        )
        let store = try S3ObjectStore(configuration: configuration, logger: Logger(label: "test.s3") { _ in SwiftLogNoOpLogHandler() }, listPageSize: listPageSize)
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Deterministic bytes (xorshift), so a failure is reproducible.
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    static func md5Hex(_ bytes: some DataProtocol) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: - Round trips

    @Test("prepare creates the bucket; keys with '=', '+', spaces and UTF-8 round-trip through put, get, head, list and delete")
    func roundTrip() async throws {
        try await withStore(bucket: Self.bucketName("rt")) { store in
            try await store.prepare()
            try await store.prepare()  // the bucket now exists: HEAD answers 200

            let keys = [
                Self.sinkKey,
                "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/a b+c=d é.json.gz",
                "dlq/topic=network-telemetry/reason=bad json/x&y.json",
            ]
            for (index, key) in keys.enumerated() {
                let body = Self.bytes(1_000 + index, seed: UInt64(index + 1))
                let stored = try await store.put(key: key, body: body, contentType: "application/gzip")
                #expect(stored.key == key && stored.size == body.count)
                #expect(stored.etag == Self.md5Hex(body), "a single PUT's ETag is the body's MD5")
            }
            for (index, key) in keys.enumerated() {
                #expect(try await store.get(key: key) == Self.bytes(1_000 + index, seed: UInt64(index + 1)))
                #expect(try await store.head(key: key) == StoredObject(key: key, size: 1_000 + index, etag: Self.md5Hex(Self.bytes(1_000 + index, seed: UInt64(index + 1)))))
            }
            // The server decoded each key exactly as we meant it: the listing gives them back verbatim.
            let all = try await store.list(prefix: "")
            #expect(all.map(\.key) == keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(all.map(\.size) == [1_002, 1_001, 1_000])
            #expect(try await store.list(prefix: "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+").map(\.key) == [Self.sinkKey])
            #expect(try await store.list(prefix: "dlq/topic=network-telemetry/reason=bad json/").map(\.key) == [keys[2]])

            try await store.delete(key: keys[1])
            try await store.delete(key: keys[1])  // deleting a missing object is not an error
            let missing = await #expect(throws: ObjectStoreError.self) { try await store.get(key: keys[1]) }
            #expect(missing?.code == .notFound)
            #expect(missing?.status == 404)
            #expect(missing?.message.contains("NoSuchKey") == true, "\(String(describing: missing?.message))")
            #expect(missing?.isRetriable == false)
            #expect(try await store.head(key: keys[1]) == nil)
            #expect(try await store.list(prefix: "").map(\.key) == [keys[2], keys[0]])
        }
    }

    @Test("a re-put replaces the object; an empty body and an empty content type work")
    func replace() async throws {
        try await withStore(bucket: Self.bucketName("replace")) { store in
            try await store.prepare()
            _ = try await store.put(key: "k=1/a+b", body: Array("first version".utf8), contentType: "text/plain")
            _ = try await store.put(key: "k=1/a+b", body: Array("second".utf8), contentType: "text/plain")
            #expect(try await store.get(key: "k=1/a+b") == Array("second".utf8))
            #expect(try await store.list(prefix: "k=1/") == [StoredObject(key: "k=1/a+b", size: 6, etag: Self.md5Hex(Array("second".utf8)))])
            _ = try await store.put(key: "empty", body: [], contentType: "")
            #expect(try await store.get(key: "empty") == [])
        }
    }

    @Test("a key prefix inside the bucket: keys go under it and list strips it")
    func storePrefix() async throws {
        let bucket = Self.bucketName("prefix")
        try await withStore(bucket: bucket, prefix: "some/prefix") { store in
            try await store.prepare()
            #expect(store.location == "s3://\(bucket)/some/prefix")
            _ = try await store.put(key: "a=1/b+c", body: [1, 2, 3], contentType: "application/octet-stream")
            #expect(try await store.list(prefix: "a=1/").map(\.key) == ["a=1/b+c"])
        }
        try await withStore(bucket: bucket) { (store: S3ObjectStore) async throws in
            #expect(try await store.list(prefix: "").map(\.key) == ["some/prefix/a=1/b+c"])
            #expect(try await store.get(key: "some/prefix/a=1/b+c") == [1, 2, 3])
        }
    }

    @Test("listing follows continuation tokens across pages, in key order")
    func pagination() async throws {
        try await withStore(bucket: Self.bucketName("pages"), listPageSize: 3) { store in
            try await store.prepare()
            let keys = (0..<11).map { "p/key=\($0 < 10 ? "0" : "")\($0)+x" }
            for key in keys.shuffled() { _ = try await store.put(key: key, body: Array(key.utf8), contentType: "text/plain") }
            let listed = try await store.list(prefix: "p/")
            #expect(listed.map(\.key) == keys)
            #expect(listed.map(\.size) == keys.map(\.utf8.count))
        }
    }

    @Test("multipart: 12MB with a 5MB threshold and 5MB parts uploads 3 parts and reads back equal")
    func multipart() async throws {
        try await withStore(bucket: Self.bucketName("mpu"), multipartThreshold: 5 << 20, partSize: 5 << 20) { store in
            try await store.prepare()
            let body = Self.bytes(12 << 20, seed: 42)
            let key = "ingest/topic=network-telemetry/big+object=1.json.gz"
            let stored = try await store.put(key: key, body: body, contentType: "application/gzip")
            // S3's multipart ETag: MD5 of the parts' MD5s, then "-<part count>": proves 5+5+2MB parts.
            let partDigests = [0..<(5 << 20), (5 << 20)..<(10 << 20), (10 << 20)..<(12 << 20)].flatMap { Array(Insecure.MD5.hash(data: body[$0])) }
            #expect(stored.etag == Self.md5Hex(partDigests) + "-3")
            #expect(stored.size == 12 << 20)
            let read = try await store.get(key: key)
            #expect(read.count == body.count)
            #expect(read == body)
            #expect(try await store.head(key: key)?.size == 12 << 20)
            // Below the threshold: one PUT.
            let small = try await store.put(key: "small", body: Self.bytes((5 << 20) - 1, seed: 7), contentType: "application/gzip")
            #expect(small.etag == Self.md5Hex(Self.bytes((5 << 20) - 1, seed: 7)))
        }
    }

    @Test("a bucket in another region is created with its LocationConstraint and used")
    func otherRegion() async throws {
        try await withStore(bucket: Self.bucketName("euw"), region: "eu-west-1") { store in
            try await store.prepare()
            _ = try await store.put(key: "r=eu/x", body: [9], contentType: "application/octet-stream")
            #expect(try await store.get(key: "r=eu/x") == [9])
        }
    }

    // MARK: - Failures

    @Test("signature checking is on: a wrong secret gives .accessDenied naming the server's code, not retriable")
    func wrongSecret() async throws {
        let bucket = Self.bucketName("auth")
        try await withStore(bucket: bucket) { store in try await store.prepare() }
        let moto = try await MotoServer.shared.instance()
        try await withStore(bucket: bucket, secret: moto.secretAccessKey + "x") { store in
            let put = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(key: "a+b=c", body: [1], contentType: "text/plain") }
            #expect(put?.code == .accessDenied)
            #expect(put?.status == 403)
            #expect(put?.isRetriable == false)
            #expect(put?.message.contains("SignatureDoesNotMatch") == true, "\(String(describing: put?.message))")
            #expect(put?.operation.contains("PUT s3://\(bucket)/a+b=c") == true)

            let prepare = await #expect(throws: ObjectStoreError.self) { try await store.prepare() }
            #expect(prepare?.code == .accessDenied)
            #expect(prepare?.message.contains("SignatureDoesNotMatch") == true, "\(String(describing: prepare?.message))")
        }
        // Nothing was stored by the refused request.
        try await withStore(bucket: bucket) { (store: S3ObjectStore) async throws in #expect(try await store.list(prefix: "").isEmpty) }
    }

    @Test("an unknown access key gives .accessDenied with InvalidAccessKeyId")
    func unknownAccessKey() async throws {
        try await withStore(bucket: Self.bucketName("akid"), accessKeyID: "AKIANOTAREALKEY00000") { store in
            let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.get(key: "x") }
            #expect(error?.code == .accessDenied)
            #expect(error?.message.contains("InvalidAccessKeyId") == true, "\(String(describing: error?.message))")
        }
    }

    @Test("a missing bucket with create_bucket=false: prepare and get give .noSuchBucket")
    func missingBucket() async throws {
        let bucket = Self.bucketName("absent")
        try await withStore(bucket: bucket, createBucket: false) { store in
            let prepare = await #expect(throws: ObjectStoreError.self) { try await store.prepare() }
            #expect(prepare?.code == .noSuchBucket)
            #expect(prepare?.isRetriable == false)
            #expect(prepare?.message.contains(bucket) == true)
            #expect(prepare?.message.contains("s3.create_bucket") == true)
            let get = await #expect(throws: ObjectStoreError.self) { _ = try await store.get(key: "k") }
            #expect(get?.code == .noSuchBucket)
            #expect(get?.message.contains("NoSuchBucket") == true, "\(String(describing: get?.message))")
        }
    }

    // A hang fails by the time limit; no wall-clock upper bound that a loaded machine could break.
    @Test("a closed port gives .unreachable (not a hang), retriable", .timeLimit(.minutes(5)))
    func unreachable() async throws {
        let port = try Self.closedPort()
        try await withStore(bucket: Self.bucketName("down"), endpoint: "http://127.0.0.1:\(port)") { store in
            let error = await #expect(throws: ObjectStoreError.self) { try await store.prepare() }
            #expect(error?.code == .unreachable)
            #expect(error?.isRetriable == true)
            #expect(error?.message.contains("127.0.0.1:\(port)") == true, "\(String(describing: error?.message))")
            let put = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(key: "k", body: [1], contentType: "x") }
            #expect(put?.code == .unreachable)
        }
    }

    @Test("a server that accepts but never answers gives .timeout after request_timeout, retriable", .timeLimit(.minutes(5)))
    func timeout() async throws {
        let (socket, port) = try Self.silentListener()
        defer { close(socket) }
        try await withStore(bucket: Self.bucketName("slow"), endpoint: "http://127.0.0.1:\(port)", requestTimeout: 0.5) { store in
            let clock = ContinuousClock()
            let started = clock.now
            let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.get(key: "k") }
            let elapsed = clock.now - started
            // It waited for the timeout (not failing at once); a hang fails by the time limit.
            #expect(elapsed >= .milliseconds(400), "\(elapsed)")
            #expect(error?.code == .timeout)
            #expect(error?.isRetriable == true)
        }
    }

    @Test("invalid keys are refused before any request")
    func invalidKeys() async throws {
        try await withStore(bucket: Self.bucketName("keys"), endpoint: "http://127.0.0.1:1") { store in
            for key in ["", "/abs", "a//b", "../x", "a/./b"] {
                let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(key: key, body: [1], contentType: "x") }
                #expect(error?.code == .invalidKey, "\(key)")
            }
        }
    }

    // MARK: - Sockets

    /// A port on 127.0.0.1 that nothing listens on.
    static func closedPort() throws -> Int {
        let (fd, port) = try bound(listening: false)
        close(fd)
        return port
    }

    /// A socket that listens (the kernel completes connections) but never reads or answers.
    static func silentListener() throws -> (Int32, Int) { try bound(listening: true) }

    private static func bound(listening: Bool) throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw MotoStartError(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0 && (!listening || listen(fd, 16) == 0)
            }
        }
        guard result else {
            close(fd)
            throw MotoStartError(description: "bind/listen: \(errno)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}

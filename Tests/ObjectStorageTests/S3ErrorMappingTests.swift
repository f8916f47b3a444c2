import Logging
import NIOHTTP1
import Testing
@testable import ObjectStorage

/// Addressing and error mapping of the S3 store, without a server.
@Suite("S3 addressing and errors")
struct S3ErrorMappingTests {
    func withStore(_ configuration: S3Configuration, _ body: (S3ObjectStore) throws -> Void) async throws {
        let store = try S3ObjectStore(configuration: configuration)
        let result = Result { try body(store) }
        await store.shutdown()
        try result.get()
    }

    static let credentials = SigV4Credentials(accessKeyID: "AK", secretAccessKey: "SK")

    @Test("path style: endpoint/bucket/key, each key segment encoded once; virtual-hosted: bucket.endpoint/key")
    func addressing() async throws {
        let custom = S3Configuration(bucket: "telemetry-data", endpoint: S3Endpoint(parsing: "http://127.0.0.1:9000"), credentials: Self.credentials)
        try await withStore(custom) { store in
            let (authority, path) = store.address(key: "ingest/topic=t/a b+c.json")
            #expect(authority == "127.0.0.1:9000")
            #expect(path == "/telemetry-data/ingest/topic%3Dt/a%20b%2Bc.json")
            #expect(store.address(key: nil) == ("127.0.0.1:9000", "/telemetry-data"))
        }
        let aws = S3Configuration(bucket: "telemetry-data", region: "eu-west-1", credentials: Self.credentials)
        try await withStore(aws) { store in
            #expect(store.address(key: "a=b") == ("telemetry-data.s3.eu-west-1.amazonaws.com", "/a%3Db"))
            #expect(store.address(key: nil) == ("telemetry-data.s3.eu-west-1.amazonaws.com", "/"))
        }
        let dotted = S3Configuration(bucket: "my.bucket", credentials: Self.credentials)
        try await withStore(dotted) { store in
            #expect(store.address(key: "k") == ("s3.us-east-1.amazonaws.com", "/my.bucket/k"), "dots break the TLS wildcard: path style")
        }
    }

    static func response(_ status: Int, _ body: String = "", headers: [(String, String)] = []) -> S3Response {
        S3Response(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8))
    }

    static func document(_ code: String, _ message: String) -> String {
        "<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>\(message)</Message><RequestId>R1</RequestId></Error>"
    }

    @Test("server answers map to codes, retriability and messages with the server's Code and Message", arguments: [
        (503, "SlowDown", ObjectStoreError.Code.server, true),
        (500, "InternalError", .server, true),
        (429, "", .server, true),
        (502, "", .server, true),
        (400, "RequestTimeout", .server, true),
        (403, "SignatureDoesNotMatch", .accessDenied, false),
        (403, "InvalidAccessKeyId", .accessDenied, false),
        (403, "AccessDenied", .accessDenied, false),
        (401, "", .accessDenied, false),
        (404, "NoSuchBucket", .noSuchBucket, false),
        (404, "NoSuchKey", .notFound, false),
        (400, "InvalidArgument", .server, false),
    ])
    func mapping(status: Int, code: String, expected: ObjectStoreError.Code, retriable: Bool) async throws {
        let configuration = S3Configuration(endpoint: S3Endpoint(parsing: "http://127.0.0.1:9000"), credentials: Self.credentials)
        try await withStore(configuration) { store in
            let body = code.isEmpty ? "" : Self.document(code, "something went wrong")
            let error = store.error(for: Self.response(status, body), operation: "PUT s3://b/k")
            #expect(error.code == expected)
            #expect(error.isRetriable == retriable)
            #expect(error.status == status)
            #expect(error.operation == "PUT s3://b/k")
            if !code.isEmpty {
                #expect(error.message.contains("\(code): something went wrong"))
                #expect(error.message.contains("R1"))
            } else {
                #expect(error.message.contains("HTTP \(status)"))
            }
        }
    }

    @Test("a bucket in another region: the message says which region to configure")
    func wrongRegion() async throws {
        try await withStore(S3Configuration(credentials: Self.credentials)) { store in
            let error = store.error(for: Self.response(301, headers: [("x-amz-bucket-region", "eu-central-1")]), operation: "HEAD s3://b")
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("set s3.region (AWS_REGION) to eu-central-1"))
        }
    }

    @Test("objects are never sent as forms: empty or form content types become application/octet-stream")
    func contentTypes() {
        #expect(S3ObjectStore.contentType("") == "application/octet-stream")
        #expect(S3ObjectStore.contentType("application/x-www-form-urlencoded") == "application/octet-stream")
        #expect(S3ObjectStore.contentType(" application/gzip ") == "application/gzip")
    }

    @Test("part size grows past the configured one only when 10000 parts would not hold the object")
    func partSizes() async throws {
        try await withStore(S3Configuration(credentials: Self.credentials, partSize: 8 << 20)) { store in
            #expect(store.partSize(for: 12 << 20) == 8 << 20)
            #expect(store.partSize(for: 100 << 30) == 11 << 20)
        }
    }
}

import Foundation
import Testing
@testable import ObjectStorage

@Suite("Object store factory")
struct ObjectStoreFactoryTests {
    @Test("locations: file:PATH, file:///abs and s3://bucket/prefix; others are refused as a location")
    func locations() throws {
        #expect(try ObjectStoreFactory.parseLocation("file:./netchaos-data") == .directory(path: "./netchaos-data"))
        #expect(try ObjectStoreFactory.parseLocation("file:///var/lib/netchaos") == .directory(path: "/var/lib/netchaos"))
        #expect(try ObjectStoreFactory.parseLocation("s3://telemetry-data/ingest/x") == .s3(bucket: "telemetry-data", prefix: "ingest/x"))
        for bad in ["./data", "ftp://x", "file:", "s3://Bad_Bucket", "file://host/x"] {
            let error = #expect(throws: StoreConfigurationError.self, "\(bad)") { try ObjectStoreFactory.parseLocation(bad) }
            #expect(error?.setting == .location && error?.value == bad)
        }
    }

    @Test("file: builds a LocalDirectoryStore at the path; s3:// an S3ObjectStore with the URL's bucket and prefix")
    func stores() async throws {
        let local = try ObjectStoreFactory.makeStore(location: "file:/tmp/netchaos-factory", s3: nil)
        #expect((local as? LocalDirectoryStore)?.root == "/tmp/netchaos-factory")
        #expect(local.location == "file:/tmp/netchaos-factory")

        let configuration = S3Configuration(bucket: "ignored", endpoint: S3Endpoint(parsing: "minio:9000"), credentials: SigV4Credentials(accessKeyID: "a", secretAccessKey: "b"))
        let remote = try ObjectStoreFactory.makeStore(location: "s3://telemetry-data/some/prefix", s3: configuration)
        let s3 = try #require(remote as? S3ObjectStore)
        #expect(s3.configuration.bucket == "telemetry-data")
        #expect(s3.configuration.prefix == "some/prefix")
        #expect(s3.location == "s3://telemetry-data/some/prefix")
        #expect(s3.endpoint.description == "http://minio:9000")
        await remote.shutdown()

        let missing = #expect(throws: StoreConfigurationError.self) { try ObjectStoreFactory.makeStore(location: "s3://telemetry-data", s3: nil) }
        #expect(missing?.setting == .location)
    }
}

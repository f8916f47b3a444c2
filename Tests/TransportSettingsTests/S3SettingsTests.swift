import Configuration
import Logging
import Settings
import Testing
import TransportSettings
@testable import ObjectStorage

@Suite("S3 settings")
struct S3SettingsTests {
    static let credentials = ["s3.access_key_id": "AKID", "s3.secret_access_key": "SECRET"]

    @Test("defaults: AWS us-east-1, bucket telemetry-data, virtual-hosted, create, 16MB/8MB, 30s")
    func defaults() throws {
        let configuration = try S3Configuration(config: configReader(Self.credentials))
        #expect(configuration.bucket == "telemetry-data")
        #expect(configuration.prefix == "")
        #expect(configuration.region == "us-east-1")
        #expect(configuration.endpoint == nil)
        #expect(configuration.resolvedEndpoint.description == "https://s3.us-east-1.amazonaws.com")
        #expect(configuration.pathStyle == false)
        #expect(configuration.createBucket)
        #expect(configuration.multipartThreshold == 16 << 20)
        #expect(configuration.partSize == 8 << 20)
        #expect(configuration.requestTimeout == 30)
        #expect(configuration.checksum == .crc32)
        #expect(configuration.credentials == SigV4Credentials(accessKeyID: "AKID", secretAccessKey: "SECRET"))
        #expect(configuration.location == "s3://telemetry-data")
    }

    @Test("MinIO style: a bare host:port endpoint, https only when s3.secure; path style by default")
    func minioEndpoint() throws {
        let plain = try S3Configuration(config: configReader(Self.credentials.merging(["s3.endpoint": "minio:9000"]) { $1 }))
        #expect(plain.endpoint == S3Endpoint(scheme: "http", host: "minio", port: 9000))
        #expect(plain.pathStyle)
        let secure = try S3Configuration(config: configReader(Self.credentials.merging(["s3.endpoint": "minio:9000", "s3.secure": "true"]) { $1 }))
        #expect(secure.resolvedEndpoint.description == "https://minio:9000")
        let explicit = try S3Configuration(config: configReader(Self.credentials.merging(["s3.endpoint": "http://127.0.0.1:9000/", "s3.secure": "true"]) { $1 }))
        #expect(explicit.resolvedEndpoint.description == "http://127.0.0.1:9000", "an explicit scheme wins over s3.secure")
        let virtual = try S3Configuration(config: configReader(Self.credentials.merging(["s3.endpoint": "https://s3.example.com", "s3.path_style": "false"]) { $1 }))
        #expect(virtual.pathStyle == false)
        #expect(virtual.resolvedEndpoint.authority == "s3.example.com")
    }

    @Test("every knob read: region, bucket, session token, create_bucket, sizes, timeout")
    func allKnobs() throws {
        let configuration = try S3Configuration(config: configReader(Self.credentials.merging([
            "s3.region": "eu-west-1", "s3.bucket": "my.bucket-1", "s3.session_token": "TOKEN", "s3.create_bucket": "false",
            "s3.multipart_threshold": "32MB", "s3.part_size": "5MB", "s3.request_timeout": "500ms", "s3.path_style": "true",
            "s3.checksum": "MD5",
        ]) { $1 }))
        #expect(configuration.checksum == .md5)
        #expect(configuration.region == "eu-west-1")
        #expect(configuration.resolvedEndpoint.description == "https://s3.eu-west-1.amazonaws.com")
        #expect(configuration.bucket == "my.bucket-1")
        #expect(configuration.credentials.sessionToken == "TOKEN")
        #expect(configuration.createBucket == false)
        #expect(configuration.multipartThreshold == 32 << 20)
        #expect(configuration.partSize == 5 << 20)
        #expect(configuration.requestTimeout == 0.5)
        #expect(configuration.pathStyle)
        #expect(!configuration.description.contains("SECRET"))
        #expect(!configuration.description.contains("TOKEN"))
    }

    @Test("bad values name the key, the value and what is allowed", arguments: [
        ("s3.bucket", "Bad_Bucket", "3-63 of a-z 0-9 . -"),
        ("s3.bucket", "ab", "3-63 of a-z 0-9 . -"),
        ("s3.bucket", "-abc", "starting and ending with a letter or digit"),
        ("s3.bucket", "a..b", "no '..'"),
        ("s3.bucket", "192.168.1.1", "not an IP address"),
        ("s3.endpoint", "ftp://minio:9000", "http(s)://host[:port]"),
        ("s3.endpoint", "http://minio:9000/path", "http(s)://host[:port]"),
        ("s3.endpoint", "minio:99999", "http(s)://host[:port]"),
        ("s3.secure", "maybe", "true or false"),
        ("s3.multipart_threshold", "512KB", "from 1MB to 5GB"),
        ("s3.part_size", "6GB", "from 5MB to 5GB"),
        ("s3.part_size", "0", "from 5MB to 5GB"),
        ("s3.request_timeout", "soon", "positive duration"),
        ("s3.checksum", "sha1", "crc32 or md5"),
    ])
    func badValues(key: String, value: String, allowed: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try S3Configuration(config: configReader(Self.credentials.merging([key: value]) { $1 }))
        }
        #expect(error?.key == key)
        #expect(error?.value == value)
        #expect(error?.allowed.contains(allowed) == true, "\(String(describing: error?.allowed))")
    }

    @Test("a bad bucket's message names the key with its environment name and flag")
    func bucketMessage() {
        let error = #expect(throws: ConfigurationError.self) {
            try S3Configuration(config: configReader(Self.credentials.merging(["s3.bucket": "Telemetry_Data"]) { $1 }))
        }
        #expect(error?.description.contains("'Telemetry_Data'") == true)
        #expect(error?.description.contains("s3.bucket (MINIO_BUCKET, --bucket)") == true, "\(String(describing: error?.description))")
    }

    @Test("missing credentials: the error names both keys and every environment name that sets them")
    func missingCredentials() {
        let none = #expect(throws: ConfigurationError.self) { try S3Configuration(config: configReader([:])) }
        #expect(none?.key == "s3.access_key_id")
        let message = none?.description ?? ""
        for name in ["s3.access_key_id", "AWS_ACCESS_KEY_ID", "MINIO_ACCESS_KEY", "s3.secret_access_key", "AWS_SECRET_ACCESS_KEY", "MINIO_SECRET_KEY"] {
            #expect(message.contains(name), "\(name) missing from: \(message)")
        }
        let noSecret = #expect(throws: ConfigurationError.self) { try S3Configuration(config: configReader(["s3.access_key_id": "AKID"])) }
        #expect(noSecret?.key == "s3.secret_access_key")
        let emptyInCode = #expect(throws: StoreConfigurationError.self) {
            try S3Configuration(credentials: SigV4Credentials(accessKeyID: "", secretAccessKey: "x")).validate()
        }
        #expect(emptyInCode?.setting == .accessKeyID && emptyInCode?.isMissingCredentials == true)
        #expect(emptyInCode?.configurationError.key == "s3.access_key_id" && emptyInCode?.configurationError.description.contains("AWS_ACCESS_KEY_ID") == true)
    }

    @Test("memberwise: path style follows the endpoint unless given")
    func memberwise() {
        let credentials = SigV4Credentials(accessKeyID: "a", secretAccessKey: "b")
        #expect(S3Configuration(credentials: credentials).pathStyle == false)
        #expect(S3Configuration(endpoint: S3Endpoint(scheme: "http", host: "127.0.0.1", port: 9000), credentials: credentials).pathStyle)
        #expect(S3Configuration(endpoint: S3Endpoint(scheme: "http", host: "h"), credentials: credentials, pathStyle: false).pathStyle == false)
    }

    @Test("store URLs: s3://bucket and s3://bucket/prefix, slashes trimmed, bad ones name sink.store")
    func storeURLs() throws {
        #expect(try S3Configuration.parseStoreURL("s3://telemetry-data") == ("telemetry-data", ""))
        #expect(try S3Configuration.parseStoreURL("s3://telemetry-data/") == ("telemetry-data", ""))
        #expect(try S3Configuration.parseStoreURL("S3://bucket/some/prefix/") == ("bucket", "some/prefix"))
        #expect(try S3Configuration.parseStoreURL("s3://bucket/topic=x/dt=1") == ("bucket", "topic=x/dt=1"))
        for bad in ["s3://", "s3:///prefix", "s3://Bucket", "http://bucket", "s3://bucket/a//b", "s3://bucket/../x"] {
            let error = #expect(throws: StoreConfigurationError.self, "\(bad)") { try S3Configuration.parseStoreURL(bad) }
            #expect(error?.setting == .location && error?.value == bad)
            let named = #expect(throws: ConfigurationError.self, "\(bad)") { try StoreSettings.location(bad) }
            #expect(named?.key == "sink.store" && named?.value == bad)
        }
    }

    @Test("endpoints: IPv6, default ports dropped from the Host header")
    func endpoints() throws {
        let v6 = try #require(S3Endpoint(parsing: "http://[::1]:9000"))
        #expect(v6.host == "[::1]" && v6.port == 9000 && v6.authority == "[::1]:9000")
        #expect(S3Endpoint(parsing: "https://s3.example.com:443")?.authority == "s3.example.com")
        #expect(S3Endpoint(parsing: "http://localhost:80")?.authority == "localhost")
        #expect(S3Endpoint(parsing: "localhost", secure: true)?.description == "https://localhost")
        #expect(S3Endpoint(parsing: "http://user@host") == nil)
        #expect(S3Endpoint(parsing: "") == nil)
    }

    @Test("a store from the settings: the s3 section is read only for an s3:// store, so file: needs no credentials")
    func storeFromSettings() async throws {
        let empty = ConfigReader(provider: InMemoryProvider(values: [:]))
        #expect(try StoreSettings.makeStore(location: ObjectStoreFactory.defaultLocation, config: empty) is LocalDirectoryStore)
        let error = #expect(throws: ConfigurationError.self) { try StoreSettings.makeStore(location: "s3://telemetry-data", config: empty) }
        #expect(error?.key == "s3.access_key_id")
        let configured = configReader(["s3.access_key_id": "AK", "s3.secret_access_key": "SK", "s3.endpoint": "127.0.0.1:9000"])
        let store = try StoreSettings.makeStore(location: "s3://telemetry-data/p", config: configured)
        #expect(store.location == "s3://telemetry-data/p")
        await store.shutdown()
        let output = #expect(throws: ConfigurationError.self) { try StoreSettings.location("ftp://x", key: "outputs") }
        #expect(output?.key == "outputs" && output?.value == "ftp://x")
        let missing = #expect(throws: ConfigurationError.self) { try StoreSettings.makeStore(location: "s3://telemetry-data", s3: nil) }
        #expect(missing?.key == "sink.store")
    }
}

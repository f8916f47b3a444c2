import Foundation
import Testing
@testable import ObjectStorage

@Suite("SigV4 canonical forms")
struct SigV4CanonicalizationTests {
    static let signer = SigV4Signer(credentials: SigV4Credentials(accessKeyID: "AK", secretAccessKey: "SK"), region: "eu-west-1")

    @Test("path encoding: each segment once, '/' kept, '+', '=', space, '$' and UTF-8 as %XX, unreserved untouched")
    func pathEncoding() {
        #expect(SigV4Encoding.encodePath("/b/a+b=c d$é~_-.txt") == "/b/a%2Bb%3Dc%20d%24%C3%A9~_-.txt")
        #expect(SigV4Encoding.encodePath("/b/already%20encoded") == "/b/already%2520encoded", "a literal % is data: no double decoding")
        let sinkKey = "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+00000000000000120000.json.gz"
        #expect(SigV4Encoding.encodePath("/telemetry-data/" + sinkKey)
            == "/telemetry-data/ingest/topic%3Dnetwork-telemetry/dt%3D2026-11-22/hour%3D08/partition%3D3/network-telemetry%2B3%2B00000000000000120000.json.gz")
    }

    @Test("query encoding: '/' '+' '=' '&' and space encoded, sorted by encoded name then value (byte order)")
    func queryEncoding() {
        #expect(SigV4Encoding.encode("a/b+c=d&e f*") == "a%2Fb%2Bc%3Dd%26e%20f%2A")
        let query = SigV4Signer.canonicalQuery([
            (name: "prefix", value: "ingest/topic=t/"), (name: "list-type", value: "2"),
            (name: "continuation-token", value: "ab+/cd=="), (name: "b", value: "z"), (name: "b", value: "Z"), (name: "B", value: "a"),
        ])
        #expect(query == "B=a&b=Z&b=z&continuation-token=ab%2B%2Fcd%3D%3D&list-type=2&prefix=ingest%2Ftopic%3Dt%2F")
    }

    @Test("headers: names lower-cased and sorted, values trimmed with runs of spaces collapsed, repeats joined by ','")
    func headers() {
        let (canonical, signed) = SigV4Signer.canonicalHeaders([
            (name: "X-Amz-Meta-B", value: "  two\t  words  "), (name: "Host", value: "h"), (name: "x-amz-meta-a", value: "1"),
            (name: "X-AMZ-META-A", value: " 2 "),
        ])
        #expect(canonical == "host:h\nx-amz-meta-a:1,2\nx-amz-meta-b:two words\n")
        #expect(signed == "host;x-amz-meta-a;x-amz-meta-b")
    }

    @Test("timestamps: UTC, zero-padded, leap days, the epoch")
    func timestamps() {
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_369_353_600)).amzDate == "20130524T000000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_709_251_199)).amzDate == "20240229T235959Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 0)).amzDate == "19700101T000000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_795_334_400.9)).amzDate == "20261122T080000Z")
        #expect(SigV4Timestamp(Date(timeIntervalSince1970: 1_795_334_400)).dateStamp == "20261122")
        #expect(SigV4Timestamp(amzDate: "2013-05-24") == nil)
    }

    @Test("the signer owns x-amz-date, x-amz-content-sha256, x-amz-security-token and authorization")
    func ownedHeaders() {
        let signer = SigV4Signer(credentials: SigV4Credentials(accessKeyID: "AK", secretAccessKey: "SK", sessionToken: "TOKEN"), region: "us-east-1")
        let signed = signer.sign(
            SigV4Request(
                method: "put", path: "/b/k",
                headers: [(name: "host", value: "h"), (name: "X-Amz-Date", value: "19990101T000000Z"), (name: "Authorization", value: "forged")],
                payload: .hashing(Array("abc".utf8))
            ),
            timestamp: SigV4Timestamp(amzDate: "20261122T080000Z")!
        )
        #expect(signed.method == "PUT")
        #expect(signed.headers.filter { $0.name.lowercased() == "x-amz-date" }.map(\.value) == ["20261122T080000Z"])
        #expect(signed.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(signed.header("authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AK/20261122/us-east-1/s3/aws4_request, ") == true)
        #expect(signed.header("x-amz-content-sha256") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(signed.header("x-amz-security-token") == "TOKEN")
        #expect(signed.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
    }

    @Test("UNSIGNED-PAYLOAD goes into the canonical request and x-amz-content-sha256")
    func unsignedPayload() {
        let signed = Self.signer.sign(SigV4Request(method: "PUT", path: "/b/k", headers: [(name: "host", value: "h")], payload: .unsigned), timestamp: SigV4Timestamp(amzDate: "20261122T080000Z")!)
        #expect(signed.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(signed.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
    }

    @Test("S3: the canonical URI is the path as sent, and the wire query is the signed one")
    func wireMatchesSignature() {
        let key = "ingest/topic=t/a b+c.json.gz"
        let path = SigV4Encoding.encodePath("/bucket/" + key)
        let signed = Self.signer.sign(
            SigV4Request(method: "GET", path: path, query: [(name: "uploadId", value: "x+y/z"), (name: "partNumber", value: "2")], headers: [(name: "host", value: "h")]),
            timestamp: SigV4Timestamp(amzDate: "20261122T080000Z")!
        )
        let lines = signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "/bucket/ingest/topic%3Dt/a%20b%2Bc.json.gz")
        #expect(String(lines[1]) == signed.path)
        #expect(String(lines[2]) == signed.query)
        #expect(signed.target == "/bucket/ingest/topic%3Dt/a%20b%2Bc.json.gz?partNumber=2&uploadId=x%2By%2Fz")
    }

    @Test("a different secret, region, time or body gives a different signature")
    func sensitivity() {
        let time = SigV4Timestamp(amzDate: "20261122T080000Z")!
        let request = SigV4Request(method: "PUT", path: "/b/k", headers: [(name: "host", value: "h")], payload: .hashing(Array("a".utf8)))
        let base = Self.signer.sign(request, timestamp: time).signature
        var other = Self.signer
        other.credentials.secretAccessKey = "SK2"
        #expect(other.sign(request, timestamp: time).signature != base)
        other = Self.signer
        other.region = "us-east-1"
        #expect(other.sign(request, timestamp: time).signature != base)
        #expect(Self.signer.sign(request, timestamp: SigV4Timestamp(amzDate: "20261122T080001Z")!).signature != base)
        var changed = request
        changed.payload = .hashing(Array("b".utf8))
        #expect(Self.signer.sign(changed, timestamp: time).signature != base)
    }

    @Test("credentials never print their secret")
    func redaction() {
        let credentials = SigV4Credentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "token-secret")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("token-secret"))
        #expect("\(credentials)".contains("AKID"))
    }
}

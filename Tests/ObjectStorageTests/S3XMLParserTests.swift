import Testing
@testable import ObjectStorage

@Suite("S3 XML answers")
struct S3XMLParserTests {
    @Test("an error document: code, message and request id, entities decoded")
    func errorDocument() throws {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match &quot;yours&quot; &amp; more</Message>
            <RequestId>4442587FB7D0A2F9</RequestId><HostId>x</HostId></Error>
            """.utf8)
        let document = try #require(S3ErrorDocument(parsing: body))
        #expect(document.code == "SignatureDoesNotMatch")
        #expect(document.message == "The request signature we calculated does not match \"yours\" & more")
        #expect(document.requestID == "4442587FB7D0A2F9")
        #expect(S3ErrorDocument(parsing: Array("<ListBucketResult/>".utf8)) == nil)
        #expect(S3ErrorDocument(parsing: Array("not xml".utf8)) == nil)
        #expect(S3ErrorDocument(parsing: [UInt8]()) == nil)
    }

    @Test("a ListObjectsV2 page: keys with entities, spaces and UTF-8 kept exactly, quoted ETags unquoted, truncation and token")
    func listPage() throws {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>b</Name><Prefix>ingest/</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
              <Contents><Key>ingest/a&amp;b &lt;c&gt; +=.json</Key><LastModified>2026-11-22T08:00:00.000Z</LastModified>
                <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key> lead and trail </Key><ETag>"abc-3"</ETag><Size>15728640</Size></Contents>
              <Contents><Key><![CDATA[ingest/été&x]]></Key><Size>0</Size></Contents>
              <!-- a comment -->
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """.utf8)
        let page = try #require(S3ListPage(parsing: body))
        #expect(page.objects == [
            StoredObject(key: "ingest/a&b <c> +=.json", size: 12, etag: "9b2cf535f27731c974343645a3985328"),
            StoredObject(key: " lead and trail ", size: 15_728_640, etag: "abc-3"),
            StoredObject(key: "ingest/été&x", size: 0, etag: nil),
        ])
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
    }

    @Test("numeric character references and namespace prefixes; malformed documents give nil")
    func edgeCases() throws {
        let root = try #require(S3XMLParser.parse(Array("<s3:A xmlns:s3='x'><s3:B attr=\"a>b\">&#65;&#x42;&#233;</s3:B><C/></s3:A>".utf8)))
        #expect(root.name == "A")
        #expect(root.value("B") == "ABé")
        #expect(root.child("C") != nil)
        #expect(S3XMLParser.parse(Array("<A><B></A></B>".utf8)) == nil)
        #expect(S3XMLParser.parse(Array("<A>".utf8)) == nil)
        #expect(S3XMLParser.parse(Array("<A/><B/>".utf8)) == nil)
        #expect(S3XMLElement.escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;")
    }

    @Test("multipart answers: UploadId and the completed ETag")
    func multipart() throws {
        let created = try #require(S3XMLParser.parse(Array("""
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE+/=</UploadId></InitiateMultipartUploadResult>
            """.utf8)))
        #expect(created.value("UploadId") == "VXBsb2FkIElE+/=")
        let completed = try #require(S3XMLParser.parse(Array("<CompleteMultipartUploadResult><ETag>&quot;3858f62230ac3c915f300c664312c11f-9&quot;</ETag></CompleteMultipartUploadResult>".utf8)))
        #expect(completed.value("ETag").map(S3ListPage.unquotedETag) == "3858f62230ac3c915f300c664312c11f-9")
    }
}

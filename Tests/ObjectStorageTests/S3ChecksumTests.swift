import Testing
@testable import ObjectStorage

@Suite("S3 checksums")
struct S3ChecksumTests {
    @Test("CRC32 and MD5 headers match the published check values")
    func knownAnswers() {
        let body = Array("123456789".utf8)[...]
        // CRC-32 (IEEE) of "123456789" is 0xCBF43926; S3 wants its four bytes big-endian, in base64.
        let crc = S3Checksum.crc32.header(for: body)
        #expect(crc.name == "x-amz-checksum-crc32" && crc.value == "y/Q5Jg==")
        // MD5 of "123456789" is 25f9e794323b453885f5181f1b624d0b.
        let md5 = S3Checksum.md5.header(for: body)
        #expect(md5.name == "content-md5" && md5.value == "JfnnlDI7RTiF9RgfG2JNCw==")
        #expect(S3Checksum.crc32.header(for: [][...]).value == "AAAAAA==")
    }
}

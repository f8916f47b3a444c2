import NIOHTTP1

/// One S3 request before addressing and signing: method, key (nil for the bucket itself), query
/// parameters (not encoded), extra headers and body.
struct S3Call: Sendable {
    var method: HTTPMethod
    var key: String?
    var query: [(String, String)] = []
    var headers: [(String, String)] = []
    /// Nil: no body. PUT and POST always send one (maybe empty), so `Content-Length` is set.
    var body: ArraySlice<UInt8>?
    /// The checksum of the body to send, if any.
    var checksum: S3Checksum?
}

/// An S3 answer, body read whole (empty for HEAD).
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

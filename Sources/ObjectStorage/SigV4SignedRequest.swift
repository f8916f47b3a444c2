/// A signed request: what to send (path, encoded query, every header including `authorization`)
/// and the intermediate texts of the signature, for tests and debugging.
public struct SigV4SignedRequest: Sendable {
    public var method: String
    /// The path to send (the request's path, unchanged).
    public var path: String
    /// The query to send, encoded exactly as it was signed, without `?` ("" when none).
    public var query: String
    /// Every header to send: the request's plus `x-amz-date`, `x-amz-content-sha256` (S3),
    /// `x-amz-security-token` (with a session token) and `authorization`.
    public var headers: [(name: String, value: String)]
    public var canonicalRequest: String
    public var stringToSign: String
    /// Lower-case hex HMAC-SHA256 of the string to sign.
    public var signature: String
    /// `host;range;x-amz-content-sha256;x-amz-date`
    public var signedHeaders: String
    /// `20130524/us-east-1/s3/aws4_request`
    public var credentialScope: String
    /// `AWS4-HMAC-SHA256 Credential=.../aws4_request, SignedHeaders=..., Signature=...`
    public var authorization: String

    /// Path and query as on the request line.
    public var target: String { query.isEmpty ? path : path + "?" + query }

    /// The value of a header (first match, case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

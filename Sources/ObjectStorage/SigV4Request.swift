/// A request to sign: method, path as it goes on the wire, query parameters (not encoded),
/// headers to send and sign (`host` included), and the payload hash.
public struct SigV4Request: Sendable {
    public var method: String
    /// The path exactly as sent, percent-encoded. For S3 build it with
    /// `SigV4Encoding.encodePath("/bucket/key")` so that the signature covers the bytes on the wire.
    public var path: String
    /// Query parameters, not encoded: the signer encodes them once for the canonical query and
    /// for the wire (`SigV4SignedRequest.query`). A parameter without a value has value "".
    public var query: [(name: String, value: String)]
    /// Headers sent and signed, `host` among them. `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` and `authorization` are the signer's to set.
    public var headers: [(name: String, value: String)]
    public var payload: SigV4Payload

    public init(
        method: String, path: String, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)], payload: SigV4Payload = .empty
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }
}

import Crypto
import Foundation

/// AWS Signature Version 4 (`AWS4-HMAC-SHA256`) in the Authorization header. Pure: no I/O, no
/// clock (the caller passes the time).
///
/// The steps, each public so tests can compare them with AWS's published examples:
/// canonical request (method, canonical URI, canonical query, canonical headers, signed headers,
/// payload hash) -> string to sign (algorithm, time, scope, hash of the canonical request) ->
/// signing key (HMAC chain over date, region, service, `aws4_request`) -> signature.
///
/// S3 differs from other services in two ways, both chosen by `service == "s3"` unless set:
/// the canonical URI is the path as sent (already encoded once, not normalized, not encoded
/// again), and `x-amz-content-sha256` is sent and signed.
public struct SigV4Signer: Sendable {
    /// How the canonical URI is made from the path as sent.
    public enum PathRule: Sendable, Hashable {
        /// S3: the path as sent, which the caller encoded once per segment.
        case s3
        /// Other services: dot segments and repeated slashes removed, then every segment
        /// encoded (again).
        case standard
    }

    public static let algorithm = "AWS4-HMAC-SHA256"

    public var credentials: SigV4Credentials
    public var region: String
    public var service: String
    public var pathRule: PathRule
    /// Send and sign `x-amz-content-sha256` (required by S3).
    public var sendsContentSHA256: Bool

    public init(credentials: SigV4Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.pathRule = service == "s3" ? .s3 : .standard
        self.sendsContentSHA256 = service == "s3"
    }

    // MARK: - Signing

    /// Signs `request` as of `date`.
    public func sign(_ request: SigV4Request, date: Date) -> SigV4SignedRequest {
        sign(request, timestamp: SigV4Timestamp(date))
    }

    public func sign(_ request: SigV4Request, timestamp: SigV4Timestamp) -> SigV4SignedRequest {
        let owned: Set<String> = ["authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
        var headers = request.headers.filter { !owned.contains($0.name.lowercased()) }
        headers.append((name: "x-amz-date", value: timestamp.amzDate))
        if sendsContentSHA256 {
            headers.append((name: "x-amz-content-sha256", value: request.payload.value))
        }
        if let token = credentials.sessionToken {
            headers.append((name: "x-amz-security-token", value: token))
        }

        let query = Self.encodedQuery(request.query)
        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalURI(request.path),
            query.map { "\($0.name)=\($0.value)" }.joined(separator: "&"),
            canonicalHeaders,
            signedHeaders,
            request.payload.value,
        ].joined(separator: "\n")
        let scope = credentialScope(timestamp)
        let stringToSign = Self.stringToSign(canonicalRequest: canonicalRequest, timestamp: timestamp, scope: scope)
        let signature = HexEncoding.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(timestamp)))
        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append((name: "authorization", value: authorization))

        return SigV4SignedRequest(
            method: request.method.uppercased(),
            path: request.path,
            query: query.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&"),
            headers: headers,
            canonicalRequest: canonicalRequest,
            stringToSign: stringToSign,
            signature: signature,
            signedHeaders: signedHeaders,
            credentialScope: scope,
            authorization: authorization
        )
    }

    // MARK: - Steps

    /// `20130524/us-east-1/s3/aws4_request`
    public func credentialScope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
    }

    /// HMAC chain: `kDate = HMAC("AWS4" + secret, date)`, then region, service, `aws4_request`.
    public func signingKey(_ timestamp: SigV4Timestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [timestamp.dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// The canonical URI for the path as sent (see `PathRule`).
    public func canonicalURI(_ path: String) -> String {
        switch pathRule {
        case .s3:
            return path.isEmpty ? "/" : path
        case .standard:
            return SigV4Encoding.encodePath(Self.normalizedPath(path))
        }
    }

    /// Algorithm, time, scope and the hex SHA-256 of the canonical request, one per line.
    public static func stringToSign(canonicalRequest: String, timestamp: SigV4Timestamp, scope: String) -> String {
        [algorithm, timestamp.amzDate, scope, HexEncoding.hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")
    }

    /// Names and values each encoded once, sorted by encoded name, then encoded value.
    public static func encodedQuery(_ query: [(name: String, value: String)]) -> [(name: String, value: String)] {
        query.map { (name: SigV4Encoding.encode($0.name), value: SigV4Encoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.name == rhs.name
                    ? lhs.value.utf8.lexicographicallyPrecedes(rhs.value.utf8)
                    : lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
            }
    }

    /// The canonical query string: `name=value` pairs of `encodedQuery`, joined by `&`.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        encodedQuery(query).map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Canonical headers (`name:value\n` for each, sorted, names lower-cased, values trimmed with
    /// runs of spaces collapsed, repeated headers joined by `,` in order) and signed headers
    /// (`host;x-amz-date`).
    public static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (canonical: String, signed: String) {
        var byName: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased().trimmingCharacters(in: .whitespaces)
            byName[name, default: []].append(canonicalHeaderValue(header.value))
        }
        let names = byName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// Leading and trailing whitespace removed, each run of spaces and tabs made one space.
    public static func canonicalHeaderValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for character in value.unicodeScalars {
            if character == " " || character == "\t" || character == "\n" || character == "\r" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// RFC 3986 dot-segment removal with empty segments dropped; a trailing `/` is kept.
    public static func normalizedPath(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last
        let trailingSlash = path.hasSuffix("/") || last == "." || last == ".."
        var result = "/" + segments.joined(separator: "/")
        if trailingSlash && !segments.isEmpty { result += "/" }
        return result
    }
}

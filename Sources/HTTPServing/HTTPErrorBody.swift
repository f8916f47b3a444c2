import NIOCore
import NIOHTTP1
import Observability

/// The JSON error every server answers with (`{"error":"...","status":400}`), also where the
/// request never reached a route: malformed HTTP, timeouts, limits.
public enum HTTPErrorBody {
    public static func json(_ message: String, status: Int) -> String {
        var body = "{\"error\":"
        JSONText.appendString(message, to: &body)
        body += ",\"status\":\(status)}"
        return body
    }

    /// A whole HTTP/1.1 response in bytes, closing the connection (for handlers below the HTTP
    /// encoder).
    static func rawResponse(status: HTTPResponseStatus, message: String) -> String {
        let body = json(message, status: Int(status.code))
        return "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Connection: close\r\n\r\n" + body
    }

    /// What a parse error means, in the words of HTTP rather than of the parser.
    public static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidChunkSize: "a chunk size of the chunked body is not hexadecimal"
        case .invalidEOFState, .closedConnection: "the request ended before its body did"
        case .headerOverflow: "the request's headers are too large"
        case .invalidHeaderToken, .invalidCharactersUsed, .invalidConstant, .lfExpected: "a header line is malformed"
        case .invalidContentLength, .unexpectedContentLength: "Content-Length is not a valid length for this request"
        case .invalidMethod: "the method is not a valid HTTP method"
        case .invalidURL, .invalidHost, .invalidPort, .invalidPath, .invalidQueryString, .invalidFragment: "the request target is not a valid URL"
        case .invalidVersion: "the HTTP version is not HTTP/1.0 or HTTP/1.1"
        case .trailingGarbage: "bytes follow the request where none may"
        case .invalidStatus, .invalidInternalState, .strictModeAssertion, .paused, .unknown: "the request is not valid HTTP/1.1"
        }
    }
}

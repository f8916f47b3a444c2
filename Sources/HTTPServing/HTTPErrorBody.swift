import NIOCore
import NIOHTTP1
import TelemetryModel

/// The JSON error every server answers with (`{"error":"...","status":400}`), also where the
/// request never reached a route: malformed HTTP, timeouts, limits.
public enum HTTPErrorBody {
    /// Writes `{"error":"...","status":400}`.
    public static func write(_ message: String, status: Int, into json: inout JSONWriter) {
        json.raw("{\"error\":")
        json.string(message)
        json.raw(",\"status\":")
        json.integer(status)
        json.raw("}")
    }

    public static func json(_ message: String, status: Int, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var json = JSONWriter()
        write(message, status: status, into: &json)
        return json.byteBuffer(allocator: allocator)
    }

    /// A whole HTTP/1.1 response in bytes, closing the connection (for handlers below the HTTP
    /// encoder).
    static func rawResponse(status: HTTPResponseStatus, message: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var json = JSONWriter()
        write(message, status: Int(status.code), into: &json)
        var response = allocator.buffer(capacity: json.count + 128)
        response.writeString(
            "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\nContent-Type: application/json\r\nContent-Length: \(json.count)\r\n"
                + "Connection: close\r\n\r\n"
        )
        json.withBytes { _ = response.writeBytes($0) }
        return response
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

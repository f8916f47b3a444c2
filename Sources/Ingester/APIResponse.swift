import HTTPServing
import Hummingbird
import NIOCore
import TelemetryModel

/// Responses of the ingester's API: JSON bodies, and the Go ingester's plain-text errors.
enum APIResponse {
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
    }

    /// The JSON written, sent as it is.
    static func json(_ body: borrowing JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        json(body.byteBuffer(), status: status)
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `{"error":"...","status":404}`.
    static func error(_ message: String, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var response = json(HTTPErrorBody.json(message, status: status.code), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    /// The Go ingester's error for its own routes: `http.Error`'s plain text with a newline, unless
    /// the client asks for JSON (`Accept: application/json`).
    static func originalError(_ message: String, status: HTTPResponse.Status, request: Request) -> Response {
        if let accept = request.headers[.accept], accept.contains("application/json") {
            return error(message, status: status)
        }
        return text(message + "\n", status: status)
    }
}

/// A request the API refuses, with its status (thrown by handlers, rendered by the middleware).
struct APIError: Error {
    var status: HTTPResponse.Status
    var message: String
    var headers: HTTPFields = [:]
}

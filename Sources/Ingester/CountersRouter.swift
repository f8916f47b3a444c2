import Foundation
import Hummingbird
import NIOCore

/// What the pull-mode server serves: the latest snapshot's CSV, its timestamp and a version.
public protocol CountersSource: Sendable {
    /// The latest snapshot: its CSV, a version that changes with every snapshot, and when it was
    /// published (Unix seconds, wall clock).
    func counters() -> (csv: [UInt8], version: UInt64, publishedAt: Double)?
}

/// The generator side of pull mode, as the Go switch generator served it: `GET /counters` (the
/// latest snapshot as CSV; 304 while it is unchanged, by `If-None-Match` or `If-Modified-Since`;
/// 503 before the first snapshot) and `GET /health`.
public enum CountersRouter {
    public static func build(source: some CountersSource) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/health") { _, _ in APIResponse.text("OK") }
        router.get("/counters") { request, _ in
            guard let snapshot = source.counters() else {
                return APIResponse.error("no snapshot yet", status: .serviceUnavailable, headers: [.retryAfter: "1"])
            }
            let etag = "\"\(snapshot.version)\""
            let modified = httpDate(Int64(snapshot.publishedAt))
            let unchanged = if let tag = request.headers[.ifNoneMatch] {
                tag == etag
            } else if let since = request.headers[.ifModifiedSince].flatMap(parseHTTPDate) {
                Int64(snapshot.publishedAt) <= since
            } else {
                false
            }
            if unchanged {
                return Response(status: .notModified, headers: [.eTag: etag, .lastModified: modified])
            }
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .eTag: etag, .lastModified: modified],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: snapshot.csv))
            )
        }
        return router
    }

    /// `Sun, 22 Nov 2026 08:00:00 GMT`.
    static func httpDate(_ seconds: Int64) -> String {
        formatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    static func parseHTTPDate(_ text: String) -> Int64? {
        formatter().date(from: text).map { Int64($0.timeIntervalSince1970) }
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}

import Hummingbird
import Logging
import NIOCore
import HTTPServing
import NIOHTTP1

/// Turns everything a handler throws into a JSON error with the right status: refused requests
/// (400, 401, 413, 415), a store that is away (503), an unknown path (404) or a method the path
/// does not take (405, with `Allow`). Only a fault of ours is a 500, and it is logged.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each known path answers (for 405).
    let methods: [String: [HTTPRequest.Method]]
    let stats: IngestStats
    let logger: Logger
    let storeErrors: StoreErrorLog

    init(methods: [String: [HTTPRequest.Method]], stats: IngestStats, logger: Logger) {
        self.methods = methods
        self.stats = stats
        self.logger = logger
        storeErrors = StoreErrorLog(logger: logger)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = APIResponse.error(error.message, status: error.status, headers: error.headers)
        } catch let error as MetricStoreError where error.code == .refused {
            stats.refused(1)
            response = APIResponse.error(error.message, status: .badRequest)
        } catch let error as MetricStoreError {
            // What is unavailable for the client; the address and the error for the log.
            stats.storeError()
            storeErrors.record(error, path: request.uri.path)
            response = APIResponse.error(error.message, status: .serviceUnavailable, headers: [.retryAfter: "1"])
        } catch let error as HTTPParserError {
            // The body broke off or its framing is wrong (a bad chunk size, a cut-short body):
            // the client's fault, and the connection cannot go on.
            response = APIResponse.error("malformed HTTP request: \(HTTPErrorBody.describe(error))", status: .badRequest, headers: [.connection: "close"])
        } catch is NIOTooManyBytesError {
            response = APIResponse.error("the body is larger than the ingester takes (INGEST_MAX_BODY)", status: .contentTooLarge)
        } catch let error as HTTPError where error.status == .notFound {
            response = notFound(request)
        } catch let error as HTTPError {
            response = APIResponse.error(error.body ?? error.status.reasonPhrase, status: error.status)
        } catch {
            logger.error("ingest request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            response = APIResponse.error("internal error", status: .internalServerError)
        }
        stats.request(status: Int(response.status.code))
        return response
    }

    private func notFound(_ request: Request) -> Response {
        let path = request.uri.path
        if let allowed = methods[path] ?? (path.hasPrefix("/telemetry/switches/") ? [.get] : nil), !allowed.contains(request.method) {
            return APIResponse.error(
                "\(request.method.rawValue) is not allowed on \(path)", status: .methodNotAllowed,
                headers: [.allow: allowed.map(\.rawValue).joined(separator: ", ")]
            )
        }
        return APIResponse.error("no route \(request.method.rawValue) \(path)", status: .notFound)
    }
}

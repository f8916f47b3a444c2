import CoreMetrics
import Hummingbird
import Observability
import Synchronization

/// Counts every answered request by route, method and status, and times it by route. The route
/// is the matched pattern (`/telemetry/switches/{id}`), or `unmatched`, so label values stay a
/// small set whatever paths clients send.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private struct Key: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private final class Handles: Sendable {
        let counters = Mutex<[Key: CoreMetrics.Counter]>([:])
        let timers = Mutex<[String: CoreMetrics.Timer]>([:])
    }

    private let handles = Handles()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            record(route: context.endpointPath, method: request.method, status: 500, since: start)
            throw error
        }
        record(route: context.endpointPath, method: request.method, status: Int(response.status.code), since: start)
        return response
    }

    private func record(route: String?, method: HTTPRequest.Method, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        // Hummingbird names an unrouted request "NotFound".
        let route = route.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        let method = knownMethods.contains(method) ? method.rawValue : "other"
        let key = Key(route: route, method: method, status: status)
        let counter = handles.counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "netchaos_ingest_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))]
            )
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timer = handles.timers.withLock { timers in
            if let timer = timers[route] { return timer }
            let timer = CoreMetrics.Timer(label: "netchaos_ingest_request_duration_seconds", dimensions: [("route", route)])
            timers[route] = timer
            return timer
        }
        timer.record(elapsed)
    }
}

/// Methods counted under their own name; any other is `other`.
private let knownMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

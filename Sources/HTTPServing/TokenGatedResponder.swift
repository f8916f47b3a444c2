import Hummingbird

/// The router's responder behind the read token: when tokens are set, reads (GET and HEAD,
/// `/metrics` included, `/health` not) need one of them as `Authorization: Bearer ...`; anything
/// else goes to the routes as it came.
public struct TokenGatedResponder<Context: RequestContext>: HTTPResponder {
    let base: RouterResponder<Context>
    /// Tokens that read; empty: reads are open.
    let accepted: Set<String>

    public func respond(to request: Request, context: Context) async throws -> Response {
        if !accepted.isEmpty, request.method == .get || request.method == .head, request.uri.path != "/health" {
            let given = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            guard let given, accepted.contains(given) else {
                HTTPServingMetrics.refused(status: 401)
                let body = HTTPErrorBody.json("reads need Authorization: Bearer <HTTP_READ_TOKEN>", status: 401)
                return Response(
                    status: .unauthorized, headers: [.contentType: "application/json", .wwwAuthenticate: "Bearer"],
                    body: ResponseBody(byteBuffer: body)
                )
            }
        }
        return try await base.respond(to: request, context: context)
    }
}

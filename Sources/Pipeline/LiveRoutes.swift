import Hummingbird
import NIOCore
import Observability

/// The live page at `/` and its data at `/api/live`.
public enum LiveRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, board: LiveBoard) {
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: LivePage.html))
            )
        }
        router.get("/api/live") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: await board.json()))
            )
        }
    }
}

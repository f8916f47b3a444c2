import ChaosEngine
import Foundation
import GeneratorRuntime
import Hummingbird
import NIOCore
import Settings

/// `POST /api/incidents` of `netchaos up`: starts a scenario entry now (a JSON object of the
/// scenario file's keys, without `start`, `every` or `rate`). Writes need the ingester's write
/// token when one is set.
public enum IncidentRoutes {
    public static let maxBodyBytes = 64 * 1024

    public static func add<Context: RequestContext>(to router: Router<Context>, generator: GeneratorService, token: String?) {
        router.post("/api/incidents") { request, context in
            if let token, request.headers[.authorization] != "Bearer \(token)" {
                return answer(["error": "writes need Authorization: Bearer <INGEST_TOKEN>", "status": 401], status: .unauthorized, headers: [.wwwAuthenticate: "Bearer"])
            }
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard type == "application/json" else {
                return answer(["error": "Content-Type must be application/json, not '\(type)'", "status": 415], status: .unsupportedMediaType)
            }
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maxBodyBytes)
            } catch {
                return answer(["error": "the body is over \(maxBodyBytes) bytes", "status": 413], status: .contentTooLarge)
            }
            let text = String(buffer: body)
            guard text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") else {
                return answer(["error": "the body must be a JSON object such as {\"family\": \"port_scan\", \"duration\": \"2m\"}", "status": 400], status: .badRequest)
            }
            let entry: ScenarioEntry
            do throws(ConfigurationError) {
                entry = try ScenarioEntry.parse(document: text)
            } catch {
                return answer(["error": error.description, "status": 400], status: .badRequest)
            }
            guard entry.everyMs == nil, entry.perDay == nil, entry.startAtMs == nil, entry.startOffsetMs ?? 0 == 0 else {
                return answer(["error": "an incident started here starts now and once: no start, every or rate", "status": 400], status: .badRequest)
            }
            do throws(GeneratorService.IncidentFailure) {
                let (index, start) = try generator.startIncident(entry)
                return answer([
                    "entry": index, "family": entry.family.name, "technique": entry.family.technique.map { $0.description as Any } ?? NSNull(),
                    "start_ms": start, "end_ms": start + entry.durationMs, "source": entry.source.description, "target": entry.target.description,
                ], status: .created)
            } catch {
                switch error {
                case .notRunning: return answer(["error": error.description, "status": 503], status: .serviceUnavailable)
                case .refused(.full): return answer(["error": error.description, "status": 409], status: .conflict)
                case .refused(.invalid): return answer(["error": error.description, "status": 400], status: .badRequest)
                }
            }
        }
    }

    static func answer(_ object: [String: Any], status: HTTPResponse.Status, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data))))
    }
}

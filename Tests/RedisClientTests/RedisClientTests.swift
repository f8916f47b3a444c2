import Foundation
import Logging
import TestSupport
import Testing
@testable import RedisClient

let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Waits until `condition` holds, polling, at most `timeout` seconds (a ceiling for a machine
/// starved by the rest of the suite, not a bound the test expects to come near).
func eventually(timeout: Double = 180, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}

@Suite("Redis client against a real redis-server")
struct RedisClientTests {
    func client(_ server: RedisServer, connections: Int = 2) -> RedisClient {
        // Generous timeouts: the whole test suite shares two cores.
        RedisClient(configuration: RedisConfiguration(
            host: "127.0.0.1", port: server.port, password: server.password, connections: connections, connectTimeout: 60, commandTimeout: 60
        ), logger: quiet)
    }

    @Test("GET, SET with expiry, MGET, DEL, and binary values round-trip")
    func basics() async throws {
        let server = try RedisServer()
        let redis = client(server)
        defer { redis.close() }
        #expect(try await redis.ping())
        let binary: [UInt8] = [0, 13, 10, 255, 36, 42]
        try await redis.set("a", binary)
        try await redis.set("b", Array("two".utf8), expirySeconds: 86_400)
        #expect(try await redis.get("a") == binary)
        #expect(try await redis.get("missing") == nil)
        #expect(try await redis.mget(["b", "missing", "a"]) == [Array("two".utf8), nil, binary])
        let ttl = try await redis.execute(RESPCommand("TTL", Array("b".utf8))).integer
        #expect(ttl.map { (1...86_400).contains($0) } == true, "TTL \(String(describing: ttl))")
        #expect(try await redis.delete(["a", "b", "missing"]) == 2)
        #expect(try await redis.get("a") == nil)
    }

    @Test("a server error is thrown with Redis's message; the connection keeps working")
    func serverErrors() async throws {
        let server = try RedisServer()
        let redis = client(server, connections: 1)
        defer { redis.close() }
        try await redis.set("s", Array("x".utf8))
        let error = await #expect(throws: RedisError.self) { try await redis.execute(RESPCommand("LPUSH", Array("s".utf8), Array("y".utf8))) }
        #expect(error?.code == .server && error?.message.contains("WRONGTYPE") == true, "\(String(describing: error))")
        #expect(try await redis.get("s") == Array("x".utf8))
    }

    @Test("pipelined commands answer in order; many callers at once share the connections")
    func pipelining() async throws {
        let server = try RedisServer()
        let redis = client(server)
        defer { redis.close() }
        // A day's expiry: the keys must outlive however long a busy machine keeps this test waiting.
        let sets = (0..<2_000).map { RedisClient.setCommand("k\($0)", Array("v\($0)".utf8), expirySeconds: 86_400) }
        #expect(try await redis.send(sets).allSatisfy { $0 == .simpleString("OK") })
        let gets = try await redis.send((0..<2_000).map { RESPCommand("GET", Array("k\($0)".utf8)) })
        #expect(gets.map(\.string) == (0..<2_000).map { "v\($0)" })
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<200 {
                group.addTask { try await redis.get("k\(i * 7)") == Array("v\(i * 7)".utf8) }
            }
            for try await matched in group { #expect(matched) }
        }
    }

    @Test("SCAN walks every matching key, none twice, without KEYS")
    func scan() async throws {
        let server = try RedisServer()
        let redis = client(server)
        defer { redis.close() }
        _ = try await redis.send((0..<3_000).map { RedisClient.setCommand("1700000000/sw\($0)", Array("{}".utf8)) })
        _ = try await redis.send((0..<500).map { RedisClient.setCommand("other/\($0)", Array("{}".utf8)) })
        let keys = try await redis.scan(match: "1700000000/*", count: 100)
        #expect(keys.count == 3_000 && Set(keys).count == 3_000)
        #expect(Set(keys) == Set((0..<3_000).map { "1700000000/sw\($0)" }))
    }

    @Test("batches on one pipeline: written ahead of their replies, run in order, replies counted and errors told")
    func pipelineBatches() async throws {
        let server = try RedisServer()
        let redis = client(server)
        defer { redis.close() }
        try await redis.execute(RESPCommand("LPUSH", Array("a-list".utf8), Array("x".utf8)))
        let pipeline = try await redis.pipeline()
        var pending: [RedisPendingBatch] = []
        for round in 0..<5 {
            var batch = RESPBatch()
            for n in 0..<3_000 {
                batch.command("SET", arguments: 2)
                batch.argument("k\(n)")
                batch.argument(Int64(round))
            }
            if round == 2 {
                batch.command("INCR", arguments: 1)
                batch.argument("a-list")
            }
            pending.append(pipeline.write(batch))
        }
        var results: [RESPBatchResult] = []
        for batch in pending { results.append(try await batch.result()) }
        #expect(results.map(\.replies) == [3_000, 3_000, 3_001, 3_000, 3_000])
        #expect(results.map(\.errors) == [0, 0, 1, 0, 0])
        #expect(results[2].firstError?.hasPrefix("WRONGTYPE") == true, "\(results[2])")
        #expect(try await redis.get("k2999") == Array("4".utf8), "the last batch written is the last run")
        #expect(try await pipeline.write(RESPBatch()).result() == RESPBatchResult())
    }

    @Test("a password is sent with AUTH; a wrong one, none where one is needed, or a database Redis lacks is refused, not retriable")
    func authentication() async throws {
        let server = try RedisServer(password: "s3cret")
        let redis = client(server)
        defer { redis.close() }
        #expect(try await redis.ping())
        func refusal(password: String?, database: Int = 0) async -> RedisError? {
            let configuration = RedisConfiguration(host: "127.0.0.1", port: server.port, password: password, database: database, connectTimeout: 60, commandTimeout: 60)
            let other = RedisClient(configuration: configuration, logger: quiet)
            defer { other.close() }
            return await #expect(throws: RedisError.self) { try await other.ping() }
        }
        let wrong = await refusal(password: "nope")
        #expect(wrong?.code == .refused && wrong?.isRetriable == false, "\(String(describing: wrong))")
        #expect(wrong?.message.hasPrefix("Redis refused the password: WRONGPASS") == true, "\(String(describing: wrong))")
        let none = await refusal(password: nil)
        #expect(none?.code == .refused && none?.message.hasPrefix("Redis requires a password: NOAUTH") == true, "\(String(describing: none))")
        let database = await refusal(password: "s3cret", database: 99)
        #expect(database?.code == .refused && database?.message.hasPrefix("Redis refused database 99: ERR") == true, "\(String(describing: database))")
    }

    @Test("Redis down: commands fail fast with a retriable error; back up: service resumes by itself")
    func restart() async throws {
        let server = try RedisServer()
        let redis = client(server)
        defer { redis.close() }
        try await redis.set("x", Array("1".utf8))
        server.stop()
        for _ in 0..<20 {
            let error = await #expect(throws: RedisError.self) { _ = try await redis.get("x") }
            #expect(error?.isRetriable == true, "\(String(describing: error))")
            // They fail fast (connection lost, refused, or Redis known to be away), none by
            // waiting out the 60 s command timeout; said by the error, not by a clock a busy
            // machine can break.
            #expect(error?.code != .timeout, "\(String(describing: error))")
        }
        try server.start()
        #expect(await eventually { (try? await redis.ping()) == true }, "the client did not reconnect")
        // Every connection is back, not just one.
        for _ in 0..<10 { #expect(try await redis.get("x") == nil) }  // a fresh server: the data went with it
    }

    @Test("an unreachable server is a retriable error within the connect timeout")
    func unreachable() async throws {
        let redis = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeout: 1), logger: quiet)
        defer { redis.close() }
        let error = await #expect(throws: RedisError.self) { _ = try await redis.ping() }
        #expect(error?.code == .unavailable)
    }
}

extension RedisClient {
    /// `PING`: true when Redis answers PONG.
    public func ping() async throws(RedisError) -> Bool {
        try await execute(RESPCommand("PING")).string == "PONG"
    }

    /// `GET key`: nil when the key does not exist.
    public func get(_ key: String) async throws(RedisError) -> [UInt8]? {
        let reply = try await execute(RESPCommand("GET", Array(key.utf8)))
        switch reply {
        case .bulkString(let bytes): return bytes
        default: throw RedisError(.unexpectedReply, "GET \(key) answered \(reply)")
        }
    }

    /// `MGET keys...`: a value or nil for each key, in order.
    public func mget(_ keys: [String]) async throws(RedisError) -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await execute(RESPCommand("MGET", keys.map { Array($0.utf8) }))
        guard let values = reply.array, values.count == keys.count else { throw RedisError(.unexpectedReply, "MGET answered \(reply)") }
        return values.map(\.bytes)
    }

    /// `SET key value [EX seconds]`.
    public func set(_ key: String, _ value: [UInt8], expirySeconds: Int? = nil) async throws(RedisError) {
        try await execute(Self.setCommand(key, value, expirySeconds: expirySeconds))
    }

    /// The `SET` command, for pipelines.
    public static func setCommand(_ key: String, _ value: [UInt8], expirySeconds: Int? = nil) -> RESPCommand {
        var arguments = [Array(key.utf8), value]
        if let expirySeconds { arguments += [Array("EX".utf8), Array(String(expirySeconds).utf8)] }
        return RESPCommand("SET", arguments)
    }

    /// `DEL keys...`: how many existed.
    @discardableResult
    public func delete(_ keys: [String]) async throws(RedisError) -> Int {
        guard !keys.isEmpty else { return 0 }
        let reply = try await execute(RESPCommand("DEL", keys.map { Array($0.utf8) }))
        guard let count = reply.integer else { throw RedisError(.unexpectedReply, "DEL answered \(reply)") }
        return Int(count)
    }

    /// Every key matching `pattern`, by `SCAN` (never `KEYS`, which blocks the server): cursor
    /// after cursor until Redis says 0. Keys may repeat across cursors (Redis's guarantee is
    /// "at least once"); the result has each once.
    public func scan(match pattern: String, count: Int = 1000) async throws(RedisError) -> [String] {
        var cursor = "0"
        var keys: [String] = []
        var seen = Set<String>()
        repeat {
            let reply = try await execute(RESPCommand("SCAN", Array(cursor.utf8), Array("MATCH".utf8), Array(pattern.utf8), Array("COUNT".utf8), Array(String(count).utf8)))
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let batch = parts[1].array else {
                throw RedisError(.unexpectedReply, "SCAN answered \(reply)")
            }
            for key in batch.compactMap(\.string) where seen.insert(key).inserted { keys.append(key) }
            cursor = next
        } while cursor != "0"
        return keys
    }
}

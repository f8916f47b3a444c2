import Foundation
import Testing
@testable import ObjectStorage

@Suite("Local directory store")
struct LocalDirectoryStoreTests {
    /// A fresh directory under the system's temporary directory, removed after `body`.
    func withStore(_ body: (LocalDirectoryStore, String) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-store-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = LocalDirectoryStore(root: base + "/data")
        try await store.prepare()
        try await body(store, base + "/data")
    }

    /// Every file under `root`, relative, sorted: what is really on disk.
    func files(under root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { var isDirectory: ObjCBool = false; return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
            .sorted()
    }

    @Test("round trip: keys with '=', '+' and spaces become files at the same relative paths; get, head, list, delete")
    func roundTrip() async throws {
        try await withStore { store, root in
            let keys = [
                "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+3+00000000000000120000.json.gz",
                "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/with space é.json.gz",
                "dlq/topic=network-telemetry/x.json",
            ]
            for (index, key) in keys.enumerated() {
                let stored = try await store.put(key: key, body: Array("object \(index)".utf8), contentType: "application/gzip")
                #expect(stored == StoredObject(key: key, size: "object \(index)".utf8.count))
            }
            #expect(files(under: root) == keys.sorted())
            for (index, key) in keys.enumerated() {
                #expect(try await store.get(key: key) == Array("object \(index)".utf8))
                #expect(try String(contentsOfFile: root + "/" + key, encoding: .utf8) == "object \(index)")
                #expect(try await store.head(key: key) == StoredObject(key: key, size: "object \(index)".utf8.count))
            }
            #expect(try await store.list(prefix: "ingest/").map(\.key) == [keys[0], keys[1]])
            #expect(try await store.list(prefix: "ingest/topic=network-telemetry/dt=2026-11-22/hour=08/partition=3/network-telemetry+").map(\.key) == [keys[0]])
            #expect(try await store.list(prefix: "").map(\.key) == keys.sorted())
            #expect(try await store.list(prefix: "nothing/").isEmpty)

            try await store.delete(key: keys[2])
            #expect(!FileManager.default.fileExists(atPath: root + "/dlq"), "directories left empty are removed")
            try await store.delete(key: keys[2])  // a missing object is not an error
            let missing = await #expect(throws: ObjectStoreError.self) { try await store.get(key: keys[2]) }
            #expect(missing?.code == .notFound && missing?.isRetriable == false)
            #expect(try await store.head(key: keys[2]) == nil)
            #expect(store.location == "file:\(root)")
        }
    }

    @Test("put replaces atomically: concurrent readers only ever see a whole old or a whole new object; no temporary file remains")
    func atomicReplace() async throws {
        try await withStore { store, root in
            let key = "ingest/partition=0/batch.json.gz"
            let first = [UInt8](repeating: 0x41, count: 2 << 20)
            let second = [UInt8](repeating: 0x42, count: 3 << 20)
            _ = try await store.put(key: key, body: first, contentType: "application/octet-stream")
            let torn = try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    for round in 0..<20 { _ = try await store.put(key: key, body: round % 2 == 0 ? second : first, contentType: "x") }
                    return 0
                }
                group.addTask {
                    var torn = 0
                    for _ in 0..<200 {
                        let read = try await store.get(key: key)
                        if read != first && read != second { torn += 1 }
                    }
                    return torn
                }
                return try await group.reduce(0, +)
            }
            #expect(torn == 0)
            #expect(try await store.get(key: key) == first, "the last put (round 19) wrote the first body")
            #expect(files(under: root) == [key], "only the object: no .netchaos-tmp. files")
        }
    }

    @Test("keys that could leave the directory or are malformed are refused and nothing is written", arguments: [
        "../outside", "a/../../outside", "/etc/passwd", "a//b", "a/./b", "", "trailing/", "a/.netchaos-tmp.x/b", "nul\u{0}byte",
    ])
    func refusedKeys(key: String) async throws {
        try await withStore { store, root in
            let error = await #expect(throws: ObjectStoreError.self) { _ = try await store.put(key: key, body: [1], contentType: "x") }
            #expect(error?.code == .invalidKey)
            #expect(error?.isRetriable == false)
            #expect(error?.message.contains("invalid key") == true)
            let getError = await #expect(throws: ObjectStoreError.self) { _ = try await store.get(key: key) }
            #expect(getError?.code == .invalidKey)
            #expect(files(under: root).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: root + "/../outside"))
        }
    }

    @Test("list is in key (byte) order across directories, filters by partial prefixes and never shows temporary files")
    func listOrder() async throws {
        try await withStore { store, root in
            let keys = ["ab", "a/b", "a-b", "a.b", "a/a/z", "B", "a/b0", "é"]
            for key in keys.shuffled() { _ = try await store.put(key: key, body: Array(key.utf8), contentType: "x") }
            #expect(FileManager.default.createFile(atPath: root + "/a/.netchaos-tmp.123.b", contents: Data([1, 2])))
            let listed = try await store.list(prefix: "")
            #expect(listed.map(\.key) == ["B", "a-b", "a.b", "a/a/z", "a/b", "a/b0", "ab", "é"])
            #expect(listed.map(\.size) == listed.map { $0.key.utf8.count })
            #expect(try await store.list(prefix: "a/b").map(\.key) == ["a/b", "a/b0"])
            #expect(try await store.list(prefix: "a").map(\.key) == ["a-b", "a.b", "a/a/z", "a/b", "a/b0", "ab"])
        }
    }

    @Test("prepare creates the directory tree and refuses a path that is a file")
    func prepare() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-prepare-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = LocalDirectoryStore(root: base + "/deep/er/data")
        try await store.prepare()
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: base + "/deep/er/data", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.createFile(atPath: base + "/file", contents: Data()))
        let error = await #expect(throws: ObjectStoreError.self) { try await LocalDirectoryStore(root: base + "/file").prepare() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("not a directory") == true)
    }

    @Test("a relative root is resolved against the current directory")
    func relativeRoot() {
        let store = LocalDirectoryStore(root: "./netchaos-data/")
        #expect(store.root == FileManager.default.currentDirectoryPath + "/netchaos-data")
        #expect(store.location == "file:" + FileManager.default.currentDirectoryPath + "/netchaos-data")
    }

    @Test("temporary files match no glob of the data, and prepare removes those a crash left (not another process's at work)")
    func abandonedTemporaries() async throws {
        try await withStore { store, root in
            let name = LocalDirectoryStore.temporaryName(for: "network-telemetry+3+00000000000000120000.json.gz")
            #expect(name.hasPrefix(".netchaos-tmp.\(getpid()).") && name.hasSuffix(".partial"))
            for glob in ["*.json.gz", "*.parquet", "*.json", "*.gz"] { #expect(fnmatch(glob, name, 0) != 0, "\(glob) matches \(name)") }
            try FileManager.default.createDirectory(atPath: root + "/a/b", withIntermediateDirectories: true)
            let leftovers = [
                "a/b/.netchaos-tmp.999999999.x.dead.json.gz.partial",  // its process is gone
                "a/.netchaos-tmp.\(getpid()).y.mine.json.gz.partial",  // this pid, not being written (a run before, same pid)
                ".netchaos-tmp.k3j2.older-form.json.gz",  // the name an earlier version gave
                "a/b/.netchaos-tmp.1.w.stale.parquet.partial",  // a live pid, but two hours old
            ]
            let kept = ["a/b/.netchaos-tmp.1.z.busy.json.gz.partial", "a/b/data.json.gz"]  // another process at work; data
            for path in leftovers + kept { #expect(FileManager.default.createFile(atPath: root + "/" + path, contents: Data([1]))) }
            var times = [timeval(tv_sec: time(nil) - 7_200, tv_usec: 0), timeval(tv_sec: time(nil) - 7_200, tv_usec: 0)]
            #expect(utimes(root + "/" + leftovers[3], &times) == 0)
            #expect(store.removeAbandonedTemporaries() == leftovers.count)
            #expect(files(under: root) == kept.sorted())
            // At start-up too.
            #expect(FileManager.default.createFile(atPath: root + "/" + leftovers[0], contents: Data([1])))
            try await store.prepare()
            #expect(files(under: root) == kept.sorted())
        }
    }
}

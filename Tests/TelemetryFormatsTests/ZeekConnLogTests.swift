import Testing
@testable import TelemetryFormats
import TelemetryModel

@Suite("Zeek conn.log")
struct ZeekConnLogTests {
    static func record(session: Int64, startMs: Int64, endMs: Int64, client: TCPFlags, server: TCPFlags, received: Int32 = 4) -> FlowEvent {
        var e = FlowEvent()
        e.sessionID = session
        e.srcIP = IPv4Address(0x0A00_0001)
        e.dstIP = IPv4Address(0x0A00_0202)
        e.srcPort = 40_000
        e.dstPort = 443
        e.transport = .tcp
        e.packetsSent = 5
        e.bytesSent = 5 * 40 + 100
        e.packetsReceived = received
        e.bytesReceived = Int64(received) * 40 + 300
        e.startMs = startMs
        e.endMs = endMs
        e.clientFlags = client
        e.serverFlags = server
        return e
    }

    @Test("a session's records fold into one connection, logged when it closes, with its state and history")
    func foldsAndCloses() {
        let fold = ZeekConnectionFold(inactivityMs: 120_000)
        let log = ZeekConnLog(format: .json)
        let endings = ZeekEndings()
        var out = WriteBuffer(capacity: 1_024)
        fold.add(Self.record(session: 1, startMs: 1_000, endMs: 61_000, client: [.syn, .ack], server: [.syn, .ack]), seq: 0, into: endings)
        log.write(endings, record: 0, into: &out)
        #expect(out.count == 0)  // still open
        fold.add(Self.record(session: 1, startMs: 61_000, endMs: 90_000, client: [.ack, .fin], server: [.ack, .fin]), seq: 1, into: endings)
        log.write(endings, record: 1, into: &out)
        let line = out.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(line.contains("\"conn_state\":\"SF\"") && line.contains("\"history\":\"ShADadFf\""))
        #expect(line.contains("\"duration\":89.000000") && line.contains("\"orig_pkts\":10") && line.contains("\"resp_pkts\":8"))
        #expect(line.contains("\"orig_bytes\":200") && line.contains("\"orig_ip_bytes\":600"))
        #expect(endings.records == 2 && line.split(separator: "\n").count == 1)
    }

    @Test("the connections open after any record not yet forgotten, however far the fold has gone")
    func openAsOfEarlierRecords() {
        let fold = ZeekConnectionFold(inactivityMs: 120_000)
        let log = ZeekConnLog(format: .tsv)
        let endings = ZeekEndings()
        // Session 1: opened by record 0, grown by record 2, closed by record 4. Session 2: opened by
        // record 1. Session 3: opened by record 3, expired by the sweep after record 5 (whose end is
        // far later), when session 2 (last seen in record 1) expires too.
        let open: [(Int64, Int64, Int64, TCPFlags)] = [
            (1, 0, 1_000, [.syn, .ack]), (2, 500, 2_000, [.syn, .ack]), (1, 1_000, 30_000, .ack), (3, 29_000, 31_000, [.syn, .ack]),
            (1, 30_000, 40_000, [.ack, .fin]), (4, 200_000, 200_001, [.syn, .ack]),
        ]
        for (seq, (session, start, end, flags)) in open.enumerated() {
            fold.add(Self.record(session: session, startMs: start, endMs: end, client: flags, server: flags), seq: Int64(seq), into: endings)
        }
        func openLines(_ seq: Int64?) -> [String] {
            var out = WriteBuffer(capacity: 4_096)
            log.writeOpen(of: fold, asOf: seq, into: &out)
            let text = out.withBytes { String(decoding: $0, as: UTF8.self) }
            return text.split(separator: "\n").map { line in
                let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
                return "\(cells[1]) \(cells[16])"  // uid and originator packets
            }
        }
        let uid = (1...4).map { ZeekConnLog.uid(Int64($0)) }
        #expect(openLines(nil).isEmpty)
        #expect(openLines(0) == ["\(uid[0]) 5"])
        #expect(openLines(1) == ["\(uid[0]) 5", "\(uid[1]) 5"])
        #expect(openLines(2) == ["\(uid[0]) 10", "\(uid[1]) 5"])
        #expect(openLines(4) == ["\(uid[1]) 5", "\(uid[2]) 5"])
        #expect(openLines(5) == ["\(uid[3]) 5"])
        // The lines of the ended connections: session 1 with record 4; sessions 2 and 3 with record 5.
        var ended = WriteBuffer(capacity: 4_096)
        for record in 0..<endings.records { log.write(endings, record: record, into: &ended) }
        let lines = ended.withBytes { String(decoding: $0, as: UTF8.self) }.split(separator: "\n")
        #expect(lines.map { String($0.split(separator: "\t")[1]) } == [uid[0], uid[1], uid[2]])
        // Forgetting up to record 3 keeps what is needed after it.
        fold.forget(through: 3)
        #expect(openLines(4) == ["\(uid[1]) 5", "\(uid[2]) 5"])
        #expect(openLines(3) == ["\(uid[0]) 10", "\(uid[1]) 5", "\(uid[2]) 5"])
    }

    struct Course: Sendable, CustomStringConvertible {
        var client: TCPFlags
        var server: TCPFlags
        var received: Int32
        var state: String
        var description: String { state }
    }

    static let courses = [
        Course(client: .syn, server: [], received: 0, state: "S0"), Course(client: .syn, server: .rst, received: 1, state: "REJ"),
        Course(client: [.syn, .ack, .rst], server: [.syn, .ack], received: 4, state: "RSTO"),
        Course(client: [.syn, .ack], server: [.syn, .ack, .rst], received: 4, state: "RSTR"),
        Course(client: [.syn, .ack], server: [.syn, .ack], received: 4, state: "S1"), Course(client: .ack, server: .ack, received: 4, state: "OTH"),
    ]

    @Test("states: unanswered S0, refused REJ, resets RSTO and RSTR, open S1, mid-stream OTH", arguments: courses)
    func states(_ course: Course) {
        let connection = ZeekConnection(Self.record(session: 9, startMs: 0, endMs: 10, client: course.client, server: course.server, received: course.received))
        #expect("\(connection.state)" == course.state)
    }

    @Test("uids look like Zeek's and stay the same for a session; times read as Zeek writes them")
    func textForms() {
        let uid = ZeekConnLog.uid(42)
        #expect(uid.count == 18 && uid.first == "C" && uid.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        #expect(ZeekConnLog.uid(42) == uid && ZeekConnLog.uid(43) != uid)
        #expect(ZeekConnLog.zeekTime(1_795_334_400_000) == "2026-11-22-08-00-00")
        #expect(ZeekConnLog.zeekTime(951_782_400_000) == "2000-02-29-00-00-00")
        func seconds(_ ms: Int64) -> String {
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = bytes.withUnsafeMutableBufferPointer { buffer in
                var p = buffer.baseAddress!
                ZeekConnLog.writeMillis(&p, ms)
                return p - buffer.baseAddress!
            }
            return String(decoding: bytes[..<count], as: UTF8.self)
        }
        #expect(seconds(1_795_334_399_386) == "1795334399.386000" && seconds(1_005) == "1.005000")
    }
}

@Suite("Zeek session index")
struct ZeekSessionIndexTests {
    @Test("random inserts, finds and removes agree with a Dictionary, through growth and wrap-around")
    func agreesWithDictionary() {
        let index = ZeekSessionIndex()
        var reference: [Int64: Int32] = [:]
        var state: UInt64 = 0x1234_5678
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 17
        }
        for step in 0..<200_000 {
            // Keys from a small range collide and cluster; the index must keep them apart.
            let key = Int64(next() % 5_000) * (step % 3 == 0 ? 1 : 1_024)
            if let position = index.find(key) {
                #expect(reference[key] == index.place(at: position))
                if next() % 2 == 0 {
                    index.remove(at: position)
                    reference.removeValue(forKey: key)
                }
            } else {
                #expect(reference[key] == nil)
                let slot = Int32(truncatingIfNeeded: next() % 1_000_000)
                index.insert(key, place: slot)
                reference[key] = slot
            }
        }
        #expect(index.count == reference.count)
        for (key, slot) in reference { #expect(index.find(key).map { index.place(at: $0) } == slot) }
    }
}

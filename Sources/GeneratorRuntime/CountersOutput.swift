import KafkaTransport
import TelemetryFormats
import TelemetryModel

/// Pull mode: keeps the latest whole snapshot on a ``SnapshotBoard``, which the generator serves
/// as the Go switch generator's `GET /counters` CSV (see `netchaos generate --output serve://HOST:PORT`).
final class CountersOutput: RecordOutput {
    let spec: OutputSpec
    private let board: SnapshotBoard
    private var assembler = SnapshotAssembler(maxRecords: 1_000_000)
    private(set) var records: UInt64 = 0
    private(set) var bytes: UInt64 = 0
    var files: [String] { [] }
    var delivery: KafkaDeliveryReport? { nil }

    init(spec: OutputSpec, board: SnapshotBoard) {
        self.spec = spec
        self.board = board
    }

    func start() throws(OutputError) {}

    func write(_ chunk: FlowChunk, records range: Range<Int>, now: Double) throws(OutputError) {
        assembler.add(chunk, range) { publish($0) }
    }

    func tick(now: Double) throws(OutputError) {}

    func finish() throws(OutputError) {
        assembler.flush { publish($0) }
    }

    private func publish(_ snapshot: [SwitchSnapshot]) {
        var text = SnapshotBoard.header
        for r in snapshot {
            text += "\(r.timestamp),sw\(r.switchNumber),"
            text += Self.centi(r.bandwidthCenti) + "," + Self.centi(r.latencyCenti) + ",\(r.packetErrors)\n"
        }
        let csv = Array(text.utf8)
        board.publish(timestamp: snapshot.map(\.timestamp).max() ?? 0, csv: csv, switches: snapshot.count)
        records += UInt64(snapshot.count)
        bytes += UInt64(csv.count)
    }

    static func centi(_ value: Int64) -> String {
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return (value < 0 ? "-" : "") + "\(magnitude / 100)." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
}

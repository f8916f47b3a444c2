import ChaosEngine
import Synchronization
import TelemetryModel

/// The writer thread's loop: takes chunks in order, releases their records to every output at
/// the paced rate (or at once), stops exactly at the count or the deadline, and records stats.
final class ChunkWriter: @unchecked Sendable {
    private let ring: ChunkRing
    private let outputs: [any RecordOutput]
    private var failed: [Bool]
    private let stats: GenerationStats
    private let pacer: RatePacer
    private let count: UInt64?
    private let duration: Double?
    private let stopRequested: StopSignal

    init(ring: ChunkRing, outputs: [any RecordOutput], stats: GenerationStats, pacer: RatePacer, count: UInt64?, duration: Double?, stopRequested: StopSignal) {
        self.ring = ring
        self.outputs = outputs
        self.failed = Array(repeating: false, count: outputs.count)
        self.stats = stats
        self.pacer = pacer
        // At an exact rate a duration is a count too: the records due before the deadline.
        if let duration, let rate = pacer.rate {
            let due = UInt64((duration * rate).rounded(.up))
            self.count = min(count ?? .max, due)
        } else {
            self.count = count
        }
        self.duration = pacer.rate == nil ? duration : nil
        self.stopRequested = stopRequested
    }

    /// Runs until the count, the duration, a stop request, or every output failing.
    func run() {
        let start = MonotonicClock.now()
        var released: UInt64 = 0
        var chunkIndex: UInt64 = 0
        let slotsPerChunk = UInt64(FlowChunkGenerator.slotsPerChunk)
        var lastTick = start
        outer: while !stopRequested.isRaised {
            guard let chunk = ring.take(chunkIndex) else { break }
            var offset = 0
            while offset < chunk.count {
                if stopRequested.isRaised { break outer }
                let now = MonotonicClock.now()
                let elapsed = now - start
                if let duration, elapsed >= duration { break outer }
                var batch = chunk.count - offset
                if let count { batch = min(batch, Int(count - released)) }
                if pacer.rate != nil {
                    let due = pacer.due(atElapsed: elapsed)
                    if due <= released {
                        // Sleep until the next record is due (at least 1 ms, at most 100 ms so a
                        // stop or deadline is noticed quickly).
                        var wake = pacer.dueTime(ofRecord: released) - elapsed
                        if let duration { wake = min(wake, duration - elapsed) }
                        MonotonicClock.sleep(min(max(wake, 0.001), 0.1))
                        continue
                    }
                    batch = min(batch, Int(min(due - released, UInt64(Int.max))))
                }
                let range = offset..<(offset + batch)
                deliver(chunk, range, now: now)
                account(chunk, range, slotsPerChunk: slotsPerChunk)
                released += UInt64(batch)
                offset += batch
                if now - lastTick >= 0.25 {
                    tick(now: now)
                    lastTick = now
                }
                if let count, released >= count { break outer }
                if !failed.contains(false) { break outer }
            }
            ring.release(chunkIndex)
            chunkIndex += 1
        }
        finish()
    }

    private func deliver(_ chunk: FlowChunk, _ range: Range<Int>, now: Double) {
        for (i, output) in outputs.enumerated() where !failed[i] {
            do throws(OutputError) {
                try output.write(chunk, records: range, now: now)
            } catch {
                fail(i, error)
            }
        }
    }

    private func tick(now: Double) {
        for (i, output) in outputs.enumerated() where !failed[i] {
            do throws(OutputError) { try output.tick(now: now) } catch { fail(i, error) }
        }
    }

    private func fail(_ index: Int, _ error: OutputError) {
        failed[index] = true
        stats.update { snapshot in
            snapshot.outputs[index].error = error.description
            if !(error.isBrokenPipe && outputs[index].spec.destination == .stdout) {
                snapshot.errors.append(error.description)
            }
        }
    }

    private func account(_ chunk: FlowChunk, _ range: Range<Int>, slotsPerChunk: UInt64) {
        var labels = [UInt64](repeating: 0, count: AnomalyLabel.allCases.count)
        var anomalies = labels
        for i in range {
            let set = chunk.anomalies(i)
            labels[Int(set.primaryLabel.rawValue)] += 1
            var bits = set.rawValue
            while bits != 0 {
                anomalies[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        // Slots up to the last released record, less the records: the dropped events.
        let lastSlot = UInt64(chunk.seq(range.upperBound - 1)) + 1
        let recent = chunk.dataset == .flow ? Self.latestAnomalies(chunk, range) : []
        stats.update { snapshot in
            if !recent.isEmpty {
                snapshot.recentAnomalies.append(contentsOf: recent)
                let excess = snapshot.recentAnomalies.count - GenerationSnapshot.recentAnomalyLimit
                if excess > 0 { snapshot.recentAnomalies.removeFirst(excess) }
            }
            snapshot.records += UInt64(range.count)
            for i in labels.indices {
                snapshot.byLabel[i] += labels[i]
                snapshot.byAnomaly[i] += anomalies[i]
            }
            snapshot.dropped = lastSlot - snapshot.records
            for (i, output) in outputs.enumerated() {
                snapshot.outputs[i].records = output.records
                snapshot.outputs[i].bytes = output.bytes
                snapshot.outputs[i].delivery = output.delivery
            }
        }
    }

    /// The last anomalous flow events of `range`, oldest first.
    private static func latestAnomalies(_ chunk: FlowChunk, _ range: Range<Int>) -> [AnomalousEvent] {
        var found: [AnomalousEvent] = []
        var i = range.upperBound - 1
        while i >= range.lowerBound && found.count < GenerationSnapshot.recentAnomalyLimit {
            let event = chunk.events[i]
            if event.anomalies.rawValue != 0 {
                found.append(AnomalousEvent(
                    timestamp: event.timestamp, label: event.label.name, srcIP: event.srcIP.description, dstIP: event.dstIP.description,
                    dstPort: Int(event.dstPort), transport: event.transport.name, bytes: event.bytesSent + event.bytesReceived
                ))
            }
            i -= 1
        }
        return found.reversed()
    }

    private func finish() {
        for (i, output) in outputs.enumerated() {
            do throws(OutputError) {
                try output.finish()
            } catch {
                if !failed[i] { fail(i, error) }
            }
        }
        stats.update { snapshot in
            for (i, output) in outputs.enumerated() {
                snapshot.outputs[i].records = output.records
                snapshot.outputs[i].bytes = output.bytes
                snapshot.outputs[i].files = output.files
                snapshot.outputs[i].delivery = output.delivery
            }
        }
    }
}

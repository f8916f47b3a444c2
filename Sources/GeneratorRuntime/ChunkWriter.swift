import ChaosEngine
import Synchronization
import TelemetryModel

/// The writer thread's loop: takes chunks in order, releases their records to every output at
/// the paced rate (or at once), stops exactly at the count, the deadline or the end of event time,
/// and records stats.
///
/// Sendable: confined. Built on the generator's task, then only the netchaos-writer thread calls ``run()``:
/// `failed`, `lastEndMs` and the non-Sendable outputs (after OutputStarter's thread is done with them) are
/// touched by that thread alone; `stats`, `manifest` and `stopRequested` are Mutex- or atomic-based.
final class ChunkWriter: @unchecked Sendable {
    /// When records are due.
    enum Pacing {
        /// As fast as the outputs take them.
        case none
        /// Record `i` at `i / rate` seconds (transactions, switch snapshots).
        case byIndex(RatePacer)
        /// A flow record when its event time comes, at `speed` simulated seconds per second:
        /// the rate follows the simulated network's load.
        case byEventTime(startMs: Int64, speed: Double)
    }

    private let ring: any ChunkSource
    private let outputs: [any RecordOutput]
    private var failed: [Bool]
    private let stats: GenerationStats
    private let pacing: Pacing
    private let count: UInt64?
    /// Wall-clock seconds to run (as fast as possible), or the deadline of event-time pacing.
    private let duration: Double?
    /// Flow records ending at or after this (Unix milliseconds) are not written.
    private let endMs: Int64?
    private let stopRequested: StopSignal
    /// The end of the last flow record written.
    private var lastEndMs: Int64?
    /// The run's slots, when a manifest is kept, and the file it goes to at the end, if any.
    private let manifest: ManifestRecorder?
    private let manifestFile: String?

    init(ring: any ChunkSource, outputs: [any RecordOutput], stats: GenerationStats, pacing: Pacing, count: UInt64?, duration: Double?, endMs: Int64? = nil, stopRequested: StopSignal, manifest: ManifestRecorder? = nil, manifestFile: String? = nil) {
        self.manifest = manifest
        self.manifestFile = manifestFile
        self.ring = ring
        self.outputs = outputs
        self.failed = Array(repeating: false, count: outputs.count)
        self.stats = stats
        self.pacing = pacing
        // At an exact rate a duration is a count too: the records due before the deadline.
        if let duration, case .byIndex(let pacer) = pacing, let rate = pacer.rate {
            let due = UInt64((duration * rate).rounded(.up))
            self.count = min(count ?? .max, due)
            self.duration = nil
        } else {
            self.count = count
            self.duration = duration
        }
        self.endMs = endMs
        self.stopRequested = stopRequested
    }

    /// Seconds after the start at which flow record `i` of `chunk` is due.
    @inline(__always)
    private static func due(_ chunk: FlowChunk, _ i: Int, startMs: Int64, speed: Double) -> Double {
        Double(chunk.events[i].endMs - startMs) / 1_000 / speed
    }

    /// Runs until the count, the duration, a stop request, or every output failing; then
    /// ``finish()`` finishes the outputs.
    func run() {
        // The clock starts with the first chunk: building the network and its first sessions can
        // take a second, and a paced run must not make up for it with a burst.
        var start = MonotonicClock.now()
        var stoppedByCount = false
        var released: UInt64 = 0
        var chunkIndex: UInt64 = 0
        let slotsPerChunk = UInt64(RecordChunk.capacity)
        var lastTick = start
        outer: while !stopRequested.isRaised {
            // Wait for the chunk a little at a time, so that a stop or the deadline is noticed
            // even while the workers are busy (the run's first step can take a while).
            let (ready, stopped) = ring.take(chunkIndex, waitingAtMost: 0.05)
            guard let chunk = ready else {
                if stopped { break }
                // (The duration counts from the first chunk.)
                if chunkIndex > 0, let duration, MonotonicClock.now() - start >= duration { break }
                continue
            }
            if chunkIndex == 0 {
                start = MonotonicClock.now()
                lastTick = start
                stats.startClock(at: start)
            }
            var offset = 0
            while offset < chunk.count {
                if stopRequested.isRaised { break outer }
                let now = MonotonicClock.now()
                let elapsed = now - start
                if let duration, elapsed >= duration { break outer }
                var batch = chunk.count - offset
                if let count { batch = min(batch, Int(count - released)) }
                if let endMs, chunk.dataset == .flow {
                    var end = offset
                    while end < offset + batch && chunk.events[end].endMs < endMs { end += 1 }
                    if end == offset { break outer }
                    batch = end - offset
                }
                switch pacing {
                case .none:
                    break
                case .byIndex(let pacer):
                    let due = pacer.due(atElapsed: elapsed)
                    if due <= released {
                        // Sleep until the next record is due (at least 1 ms, at most 100 ms so a
                        // stop or deadline is noticed quickly).
                        MonotonicClock.sleep(min(max(pacer.dueTime(ofRecord: released) - elapsed, 0.001), 0.1))
                        continue
                    }
                    batch = min(batch, Int(min(due - released, UInt64(Int.max))))
                case .byEventTime(let startMs, let speed):
                    let next = Self.due(chunk, offset, startMs: startMs, speed: speed)
                    if let duration, next > duration { break outer }
                    if next > elapsed {
                        var wake = next - elapsed
                        if let duration { wake = min(wake, duration - elapsed) }
                        MonotonicClock.sleep(min(max(wake, 0.001), 0.1))
                        continue
                    }
                    var end = offset + 1
                    while end < offset + batch && Self.due(chunk, end, startMs: startMs, speed: speed) <= elapsed { end += 1 }
                    batch = end - offset
                }
                let range = offset..<(offset + batch)
                if chunk.dataset == .flow { lastEndMs = chunk.events[range.upperBound - 1].endMs }
                let taken = deliver(chunk, range, now: now)
                if taken < range.count {
                    // Stopped while an output waited for room: what it did not take is not delivered
                    // (nor counted), and the run ends here.
                    if taken > 0 { account(chunk, range.lowerBound..<(range.lowerBound + taken), slotsPerChunk: slotsPerChunk) }
                    stats.update { $0.notDelivered += UInt64(range.count - taken) }
                    break outer
                }
                account(chunk, range, slotsPerChunk: slotsPerChunk)
                released += UInt64(batch)
                offset += batch
                if now - lastTick >= 0.25 {
                    tick(now: now)
                    lastTick = now
                }
                if let count, released >= count {
                    stoppedByCount = true
                    break outer
                }
                if !failed.contains(false) { break outer }
            }
            ring.release(chunkIndex)
            chunkIndex += 1
        }
        recordEventTime(elapsed: MonotonicClock.now() - start, stoppedByCount: stoppedByCount)
    }

    /// Paced flows: how far the run got in event time, for the final assessment. A run that kept
    /// up reached the moment it stopped (or, stopped by its count, its last record); one that fell
    /// behind is judged against the moment it stopped.
    private func recordEventTime(elapsed: Double, stoppedByCount: Bool) {
        guard case .byEventTime(let startMs, let speed) = pacing else { return }
        let atStop = startMs + Int64((elapsed * 1_000 * speed).rounded())
        var reached = atStop
        if stoppedByCount, let lastEndMs, Double(atStop - lastEndMs) / 1_000 / speed <= 0.5 { reached = lastEndMs }
        stats.update { $0.eventTimeReachedMs = reached }
    }

    /// Hands `range` to every output; returns how many of its records (from its start) every
    /// output took: all of them unless a stop kept one from taking the rest.
    private func deliver(_ chunk: FlowChunk, _ range: Range<Int>, now: Double) -> Int {
        var taken = range.count
        for (i, output) in outputs.enumerated() where !failed[i] {
            let short = output.stoppedShort
            do throws(OutputError) {
                try output.write(chunk, records: range, now: now)
            } catch {
                fail(i, error)
            }
            taken = min(taken, range.count - Int(output.stoppedShort - short))
        }
        return taken
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
        manifest?.observe(chunk, range)
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

    /// Finishes every output (after ``run()``, once the workers have stopped).
    func finish() {
        for (i, output) in outputs.enumerated() {
            do throws(OutputError) {
                try output.finish()
            } catch {
                if !failed[i] { fail(i, error) }
            }
        }
        if let manifest, let manifestFile {
            do throws(OutputError) {
                try manifest.snapshot.write(to: manifestFile, complete: !failed.contains(true))
            } catch {
                stats.update { $0.errors.append("manifest: \(error.description)") }
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

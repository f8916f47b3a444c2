import TelemetryModel

extension FlowSimulation {
    /// Every record reported before `endMs`, in report order, simulated on the calling thread one
    /// shard after the other: the same records, in the same order and with the same `seq`, as the
    /// parallel pipeline writes (dropped ones included, marked `dropped`). For tests and small runs.
    public func sequentialRecords(untilMs endMs: Int64) -> [FlowEvent] {
        var records: [(key: Int64, shard: Int, position: Int, event: FlowEvent)] = []
        for shard in settings.shards.shards {
            var simulator = ShardSimulator(shard: shard, simulation: self)
            var now = settings.startMs
            var position = 0
            while now < endMs {
                let next = min(endMs, now + tickMs)
                // Steps of the pipeline's length, so that records land in the same steps.
                let stepEnd = settings.startMs + ((now - settings.startMs) / tickMs + 1) * tickMs
                let output = ShardRecords()
                simulator.step(until: max(next, min(stepEnd, endMs)), into: output)
                output.sort()
                for i in 0..<output.count {
                    let event = output.ordered(i).pointee
                    records.append((event.endMs, shard, position, event))
                    position += 1
                }
                now = simulator.now
            }
        }
        records.sort { a, b in
            if a.key != b.key { return a.key < b.key }
            if a.shard != b.shard { return a.shard < b.shard }
            return a.position < b.position
        }
        return records.enumerated().map { i, record in
            var event = record.event
            event.seq = Int64(i)
            return event
        }
    }
}

import Foundation
import TelemetryModel

/// One shard's share of the simulated network over time: its hosts start sessions (a Poisson
/// process per traffic edge and family, shaped by the load curves, or daily schedules), and
/// running sessions report a record whenever one is due. ``step(until:into:)`` advances it;
/// steps must follow each other, but different shards are independent.
public struct ShardSimulator: Sendable {
    public let shard: Int
    let simulation: FlowSimulation
    var wheel: TimingWheel
    var arrivals: [Arrivals]
    /// Entries the wheel hands out in a step (kept to reuse its storage).
    var pending: [TimingWheel.Entry] = []

    /// Simulated time reached (Unix milliseconds).
    public private(set) var now: Int64
    var started = false
    /// Entries started at run time this shard has picked up.
    var liveKnown = 0

    /// One process's session starts in this shard.
    struct Arrivals: Sendable {
        var nextMs: Double
        var rng: WyRand
        var counter: UInt64 = 0
        /// Sessions per millisecond at the curve's maximum (Poisson kinds), 0 when none start here.
        var peakRate: Double
        /// Whose load curve thins the arrivals (-1: flat), its maximum, and whether the process runs
        /// on a daily schedule.
        var curveRole = -1
        var curveMaximum = 1.0
        var scheduled = false
        /// Scheduled kinds: the day and the next host, in order of the hosts' times of day.
        var day: Int64 = 0
        var nextInDay = 0
        var schedule: [(offsetMs: Int64, host: Int)] = []
        /// Scenario entries: the entry (-1: none), and for one that repeats at random, the time of
        /// occurrence `counter`.
        var scenario = -1
        var occurrenceMs = 0.0
    }

    public init(shard: Int, simulation: FlowSimulation) {
        self.shard = shard
        self.simulation = simulation
        let start = simulation.settings.startMs
        now = start
        let bucketMs = max(simulation.tickMs, (simulation.windowMs + 255) / 256)
        wheel = TimingWheel(start: start, bucketMs: bucketMs, buckets: Int(max(4, (2 * simulation.windowMs) / bucketMs + 3)))
        arrivals = []
        for (p, process) in simulation.processes.enumerated() {
            let local = simulation.sources[shard][p]
            var state = Arrivals(
                nextMs: Double(start), rng: WyRand(seed: simulation.settings.seed, stream: 0xa11e_0000 | UInt64(shard) << 8 | UInt64(p), index: 0),
                peakRate: local.hosts.isEmpty ? 0 : process.ratePerMs * local.share * process.table.maximum
            )
            if case .edge(let e) = process.kind, !process.table.isFlat {
                state.curveRole = simulation.edges[e].from
                state.curveMaximum = process.table.maximum
            }
            state.scheduled = process.dailyHour != nil
            if case .scenario(let i) = process.kind {
                state.scenario = i
                if i < simulation.scenarioPlans.count {
                    Self.startScenario(&state, plan: simulation.scenarioPlans[i], shard: shard, simulation: simulation)
                } else {
                    // A slot for an entry started at run time: waits for one.
                    state.nextMs = .infinity
                }
                arrivals.append(state)
                continue
            }
            if let hour = process.dailyHour, !local.hosts.isEmpty {
                state.schedule = local.hosts.indices.map { i in
                    let jitter = SeedMixer.mix(simulation.settings.seed, 0x5c4e, UInt64(local.hosts[i])) % (process.kind == .backup ? 2_700_000 : 600_000)
                    return (Int64(hour * 3_600_000) + Int64(jitter), i)
                }.sorted { $0.offsetMs < $1.offsetMs }
                let offset = Int64(simulation.topology.declaration.load.utcOffsetSeconds ?? 0) * 1_000
                state.day = Self.floorDiv(start + offset, 86_400_000)
                state.nextInDay = state.schedule.firstIndex { state.day * 86_400_000 - offset + $0.offsetMs >= start } ?? state.schedule.count
                state.peakRate = 0
                state.nextMs = Self.scheduled(state, utcOffsetMs: offset)
            } else if state.peakRate > 0 {
                state.nextMs += state.rng.exponential(mean: 1 / state.peakRate)
            } else {
                state.nextMs = .infinity
            }
            arrivals.append(state)
        }
    }

    /// Sets a scenario entry's first occurrence this shard draws (occurrences whose incident ended
    /// before the start are skipped).
    static func startScenario(_ state: inout Arrivals, plan: ScenarioPlan, shard: Int, simulation: FlowSimulation) {
        state.peakRate = 0
        state.rng = WyRand(seed: simulation.settings.seed, stream: 0x5ce0_0000 | UInt64(state.scenario), index: 0)
        state.occurrenceMs = Double(plan.firstMs)
        guard plan.ownerShards.contains(shard) else {
            state.nextMs = .infinity
            return
        }
        let start = simulation.settings.startMs
        if let every = plan.entry.everyMs, every > 0, plan.firstMs + plan.entry.durationMs < start {
            state.counter = UInt64((start - plan.firstMs - plan.entry.durationMs) / every)
        }
        if let perDay = plan.entry.perDay, perDay > 0 {
            state.occurrenceMs += state.rng.exponential(mean: 86_400_000 / perDay)
        }
        nextScenario(&state, plan: plan, shard: shard, seed: simulation.settings.seed)
    }

    /// Moves to the next occurrence this shard draws, from occurrence `counter` on.
    static func nextScenario(_ state: inout Arrivals, plan: ScenarioPlan, shard: Int, seed: UInt64) {
        let entry = plan.entry
        while true {
            let k = state.counter
            let t: Double
            if let every = entry.everyMs, every > 0 {
                t = Double(plan.firstMs) + Double(k) * Double(every)
            } else if entry.perDay ?? 0 > 0 {
                t = state.occurrenceMs
            } else {
                t = k == 0 ? Double(plan.firstMs) : .infinity
            }
            if t == .infinity || Topology.shard(ofHost: Int(plan.owner(seed: seed, index: state.scenario, occurrence: k))) == shard {
                state.nextMs = t
                return
            }
            advanceScenario(&state, plan: plan)
        }
    }

    @inline(__always)
    static func advanceScenario(_ state: inout Arrivals, plan: ScenarioPlan) {
        state.counter += 1
        if let perDay = plan.entry.perDay, perDay > 0, plan.entry.everyMs == nil {
            state.occurrenceMs += state.rng.exponential(mean: 86_400_000 / perDay)
        }
    }

    @inline(__always)
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    static func scheduled(_ state: Arrivals, utcOffsetMs: Int64) -> Double {
        guard !state.schedule.isEmpty else { return .infinity }
        var day = state.day
        var index = state.nextInDay
        if index >= state.schedule.count {
            day += 1
            index = 0
        }
        return Double(day * 86_400_000 - utcOffsetMs + state.schedule[index].offsetMs)
    }

    /// Sessions already running when the run starts, so that the first minutes look like the rest.
    mutating func warmStart(into output: ShardRecords, until end: Int64) {
        let start = simulation.settings.startMs
        for (p, process) in simulation.processes.enumerated() where process.hasLongSessions && arrivals[p].peakRate > 0 {
            let rate = arrivals[p].peakRate / process.table.maximum * process.table.value(atMs: start)
            let inFlight = simulation.expectedInFlight(process: p) * rate
            var rng = WyRand(seed: simulation.settings.seed, stream: 0x3a2e_0000 | UInt64(shard) << 8 | UInt64(p), index: 1)
            let n = Distributions.poisson(&rng, mean: inFlight)
            for i in 0..<UInt64(n) {
                let counter = FlowSimulation.warmBit | i
                // A running session's course does not depend on when it started (it is drawn as of
                // the run's start), so only its start moves back by its age.
                var s = simulation.session(process: p, shard: shard, counter: counter, startMs: start)
                let age = Int64((rng.unit() * Double(s.durationMs)).rounded(.down))
                s.startMs = start - age
                // The first record still to come.
                var j = 0
                while j < Int(s.records) - 1 && simulation.emitMs(s, record: j) < start { j += 1 }
                admit(s, process: p, counter: counter, from: j, until: end, into: output)
            }
        }
        // Short sessions started in the seconds before the start whose last packets come after
        // it: the arrivals of those seconds, drawn as the run would have (the long ones among them
        // are already running above).
        for (p, process) in simulation.processes.enumerated() where arrivals[p].peakRate > 0 && !arrivals[p].scheduled {
            guard case .edge = process.kind else { continue }
            var rng = WyRand(seed: simulation.settings.seed, stream: 0x100b_0000 | UInt64(shard) << 8 | UInt64(p), index: 0)
            let curveRole = arrivals[p].curveRole
            var t = Double(start - Self.lookbackMs) + rng.exponential(mean: 1 / arrivals[p].peakRate)
            var i: UInt64 = 0
            while t < Double(start) {
                let accept = curveRole < 0 || rng.unit() * arrivals[p].curveMaximum < simulation.tables.curve(role: curveRole, atMs: Int64(t))
                if accept {
                    let counter = FlowSimulation.lookbackBit | i
                    i += 1
                    let s = simulation.session(process: p, shard: shard, counter: counter, startMs: Int64(t))
                    if !s.bursty { admit(s, process: p, counter: counter, from: 0, until: end, into: output) }
                }
                t += rng.exponential(mean: 1 / arrivals[p].peakRate)
            }
        }
    }

    /// How far before the start short sessions are drawn (almost all of them end within it).
    static let lookbackMs: Int64 = 3_000

    /// Sessions with records still to come.
    public var runningSessions: Int { wheel.count }

    /// Advances to `end`, appending the records due in between to `output`, keyed by their
    /// report time after the step's start (``ShardRecords/sort()`` puts them in order).
    public mutating func step(until end: Int64, into output: ShardRecords) {
        precondition(end > now)
        if !started {
            started = true
            warmStart(into: output, until: end)
        }
        if let live = simulation.live, live.count > liveKnown {
            // Entries started at run time since the last step: their slots' processes come last.
            let published = live.count
            for slot in liveKnown..<published {
                let p = simulation.processes.count - live.slots + slot
                Self.startScenario(&arrivals[p], plan: simulation.scenarioPlan(arrivals[p].scenario), shard: shard, simulation: simulation)
            }
            liveKnown = published
        }
        let offset = Int64(simulation.topology.declaration.load.utcOffsetSeconds ?? 0) * 1_000
        let tables = simulation.tables
        for p in arrivals.indices {
            while arrivals[p].nextMs < Double(end) {
                let t = arrivals[p].nextMs
                if arrivals[p].scenario >= 0 {
                    let counter = arrivals[p].counter
                    let plan = simulation.scenarioPlan(arrivals[p].scenario)
                    Self.advanceScenario(&arrivals[p], plan: plan)
                    Self.nextScenario(&arrivals[p], plan: plan, shard: shard, seed: simulation.settings.seed)
                    let s = simulation.session(process: p, shard: shard, counter: counter, startMs: Int64(t))
                    admit(s, process: p, counter: counter, from: 0, until: end, into: output)
                    continue
                }
                if arrivals[p].scheduled {
                    if arrivals[p].nextInDay >= arrivals[p].schedule.count {
                        arrivals[p].day += 1
                        arrivals[p].nextInDay = 0
                    }
                    let host = arrivals[p].schedule[arrivals[p].nextInDay].host
                    let counter = UInt64(arrivals[p].day) << 20 | UInt64(host)
                    arrivals[p].nextInDay += 1
                    arrivals[p].nextMs = Self.scheduled(arrivals[p], utcOffsetMs: offset)
                    let s = simulation.session(process: p, shard: shard, counter: counter, startMs: Int64(t))
                    admit(s, process: p, counter: counter, from: 0, until: end, into: output)
                    continue
                }
                let curveRole = arrivals[p].curveRole
                let accept = curveRole < 0 || arrivals[p].rng.unit() * arrivals[p].curveMaximum < tables.curve(role: curveRole, atMs: Int64(t))
                arrivals[p].nextMs = t + arrivals[p].rng.exponential(mean: 1 / arrivals[p].peakRate)
                guard accept else { continue }
                let counter = arrivals[p].counter
                arrivals[p].counter += 1
                let s = simulation.session(process: p, shard: shard, counter: counter, startMs: Int64(t))
                admit(s, process: p, counter: counter, from: 0, until: end, into: output)
            }
        }
        let simulation = self.simulation
        var pending = self.pending
        self.pending = []
        pending.removeAll(keepingCapacity: true)
        wheel.popDue(before: end) { pending.append($0) }
        for entry in pending {
            let s = simulation.session(process: entry.process, shard: shard, counter: entry.counter, startMs: entry.startMs)
            if entry.record & Self.singleRecord != 0 {
                // One flow of a campaign, due now.
                let j = Int(entry.record & ~Self.singleRecord)
                let event = output.append(key: outputKey(emitMs: entry.emitMs, process: entry.process, counter: entry.counter, record: j))
                simulation.render(s, record: j, into: &event.pointee)
                continue
            }
            admit(s, process: entry.process, counter: entry.counter, from: Int(entry.record), until: end, into: output)
        }
        self.pending = pending
        now = end
    }

    /// Reports the records of `s` from `first` on that are due before `end`, and leaves the next
    /// one in the wheel.
    @inline(__always)
    mutating func admit(_ s: Session, process p: Int, counter: UInt64, from first: Int, until end: Int64, into output: ShardRecords) {
        if s.shape == .campaign {
            admitCampaign(s, process: p, counter: counter, from: first, until: end, into: output)
            return
        }
        var j = first
        while j < Int(s.records) {
            let emit = simulation.emitMs(s, record: j)
            if emit >= end {
                wheel.insert(TimingWheel.Entry(
                    emitMs: emit, reference: UInt64(p) << 56 | counter, startDelta: UInt32(clamping: emit - s.startMs), record: UInt32(j)
                ))
                return
            }
            if emit >= now {
                let event = output.append(key: outputKey(emitMs: emit, process: p, counter: counter, record: j))
                simulation.render(s, record: j, into: &event.pointee)
            }
            j += 1
        }
    }
}

extension ShardSimulator {
    /// The key a step's records are put in report order by: the report time within the step, then
    /// the process, the session and the record.
    @inline(__always)
    func outputKey(emitMs: Int64, process p: Int, counter: UInt64, record j: Int) -> UInt64 {
        UInt64(emitMs - now) << 40 | UInt64(p & 0xFF) << 32 | (counter & 0xFFFF) << 16 | UInt64(j & 0xFFFF)
    }

    /// A wheel entry for one record of a campaign alone (its flows overlap: a later one can end
    /// first).
    static let singleRecord: UInt32 = 1 << 31

    /// A campaign's flows start in order but end in any order: every flow started before `end` is
    /// reported now if it ends before `end`, else gets a wheel entry of its own; the first flow not
    /// started yet gets the entry that comes back for the rest.
    mutating func admitCampaign(_ s: Session, process p: Int, counter: UInt64, from first: Int, until end: Int64, into output: ShardRecords) {
        var j = first
        while j < Int(s.records) {
            let start = simulation.campaignStartMs(s, j)
            if start >= end {
                wheel.insert(TimingWheel.Entry(
                    emitMs: start, reference: UInt64(p) << 56 | counter, startDelta: UInt32(clamping: start - s.startMs), record: UInt32(j)
                ))
                return
            }
            let emit = simulation.campaignEmitMs(s, j)
            if emit >= end {
                wheel.insert(TimingWheel.Entry(
                    emitMs: emit, reference: UInt64(p) << 56 | counter, startDelta: UInt32(clamping: emit - s.startMs), record: UInt32(j) | Self.singleRecord
                ))
            } else if emit >= now {
                let event = output.append(key: outputKey(emitMs: emit, process: p, counter: counter, record: j))
                simulation.render(s, record: j, into: &event.pointee)
            }
            j += 1
        }
    }
}

extension WyRand {
    /// An exponential draw with the given mean.
    @inline(__always)
    public mutating func exponential(mean: Double) -> Double { -FastMath.log(unitOpen()) * mean }
}

extension Distributions {
    /// A Poisson draw (Knuth's product for small means, a rounded normal for large ones).
    public static func poisson(_ rng: inout WyRand, mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 60 {
            let normal = (-2 * log(rng.unitOpen())).squareRoot() * cos(2 * Double.pi * rng.unit())
            return max(0, Int((mean + normal * mean.squareRoot()).rounded()))
        }
        let limit = exp(-mean)
        var product = rng.unitOpen()
        var n = 0
        while product > limit {
            product *= rng.unitOpen()
            n += 1
        }
        return n
    }
}

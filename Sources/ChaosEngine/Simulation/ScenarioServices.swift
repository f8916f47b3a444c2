import TelemetryModel

/// The service incidents of scenario entries (`service_degradation`, `service_failure`): over each
/// occurrence's window, the entry's target is degraded (every session it serves slower) or failing
/// (a share of its sessions not served), as the knobs' service incidents are. A target named as an
/// address, a network or a role is hit as a whole (every host of it); a random one is one host per
/// occurrence. A pure function of the seed, the entry and the time, so any session can ask at once
/// whether its server is in one.
struct ScenarioServices: Sendable {
    struct Entry: Sendable {
        /// The entry's index (``FlowSimulation/scenarioPlan(_:)``).
        let index: Int
        let plan: ScenarioPlan
        let targets: Set<UInt32>
    }

    private(set) var entries: [Entry] = []
    /// Every host some entry may hit (most sessions' servers are in none).
    private(set) var hosts: Set<UInt32> = []

    var isEmpty: Bool { entries.isEmpty }

    /// Occurrences of an entry repeating at a mean rate start at random in hours: at most one an hour.
    static let epochMs: Int64 = 3_600_000

    mutating func add(_ plan: ScenarioPlan, index: Int) {
        guard plan.entry.family.isService else { return }
        let targets = Set(plan.targets)
        entries.append(Entry(index: index, plan: plan, targets: targets))
        hosts.formUnion(targets)
    }

    /// The incidents of these entries `host` is in at `ms` (of two of one kind, the later entry's).
    func incidents(host: UInt32, atMs ms: Int64, seed: UInt64) -> (degraded: ServiceIncidents.Incident?, failing: ServiceIncidents.Incident?) {
        var found: (degraded: ServiceIncidents.Incident?, failing: ServiceIncidents.Incident?) = (nil, nil)
        guard hosts.contains(host) else { return found }
        for entry in entries where entry.targets.contains(host) {
            guard let (k, start) = occurrence(entry, atMs: ms, seed: seed) else { continue }
            if !entry.plan.hitsEveryTarget && entry.plan.hosts(seed: seed, index: entry.index, occurrence: k).target != host { continue }
            let plan = entry.plan
            let degraded = plan.entry.family == .serviceDegradation
            let incident = ServiceIncidents.Incident(
                kind: degraded ? .degraded : .failing, startMs: start, endMs: start + plan.entry.durationMs,
                severity: plan.entry.intensity ?? ScenarioEntry.intensityUnit(plan.entry.family).defaultValue, host: host, epoch: 0,
                scenario: IncidentID(family: plan.entry.family, number: 1 << 55 | UInt64(entry.index) << 40 | k & 0xFF_FFFF_FFFF)
            )
            if degraded { found.degraded = incident } else { found.failing = incident }
        }
        return found
    }

    /// The occurrence of `entry` whose window covers `ms`, if one does: its number and start.
    func occurrence(_ entry: Entry, atMs ms: Int64, seed: UInt64) -> (UInt64, Int64)? {
        let first = entry.plan.firstMs
        let duration = max(entry.plan.entry.durationMs, 1)
        guard ms >= first else { return nil }
        if let every = entry.plan.entry.everyMs, every > 0 {
            let k = (ms - first) / every
            return ms - (first + k * every) < duration ? (UInt64(k), first + k * every) : nil
        }
        if let perDay = entry.plan.entry.perDay, perDay > 0 {
            // At most one start an hour, at a random moment of it; the latest start that covers `ms`.
            let chance = min(1, perDay / 24)
            let last = (ms - first) / Self.epochMs
            let earliest = max(0, (ms - duration - first) / Self.epochMs, last - 48)
            var e = last
            while e >= earliest {
                var rng = WyRand(seed: SeedMixer.mix(seed, 0x5e41_ce00 | UInt64(entry.index) << 32, UInt64(e)))
                if rng.unit() < chance {
                    let start = first + e * Self.epochMs + Int64(rng.unit() * Double(Self.epochMs))
                    if start <= ms && ms < start + duration { return (UInt64(e), start) }
                }
                e -= 1
            }
            return nil
        }
        return ms < first + duration ? (0, first) : nil
    }
}

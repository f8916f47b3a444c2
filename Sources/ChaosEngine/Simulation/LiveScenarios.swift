import Synchronization
import TelemetryModel

/// Scenario entries started while a run goes (`POST /api/incidents` of `netchaos up`): each takes
/// one of a fixed number of slots (processes the simulation reserved), and the shards pick it up at
/// their next step. Its first occurrence must lie ahead of every shard's time (the caller sets it).
public final class LiveScenarios: Sendable {
    public let slots: Int
    /// The index of the first slot's entry (after the scenario's).
    let firstIndex: Int
    private let plans = Mutex<[ScenarioPlan]>([])
    private let published = Atomic<Int>(0)
    /// Service incidents among them: sessions ask only when there are some.
    private let services = Mutex(ScenarioServices())
    private let serviceCount = Atomic<Int>(0)

    init(slots: Int, firstIndex: Int) {
        self.slots = slots
        self.firstIndex = firstIndex
    }

    /// Why an entry could not start.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case full(Int)
        case invalid(ScenarioPlan.Failure)

        public var description: String {
            switch self {
            case .full(let slots): "every one of the \(slots) slots for incidents started at run time is taken"
            case .invalid(let failure): failure.description
            }
        }
    }

    /// Compiles `entry` and publishes it; returns its slot.
    func add(_ entry: ScenarioEntry, topology: Topology, startMs: Int64) throws(Failure) -> Int {
        let plan: ScenarioPlan
        do throws(ScenarioPlan.Failure) {
            plan = try ScenarioPlan(entry, index: 0, topology: topology, startMs: startMs)
        } catch {
            throw .invalid(error)
        }
        let slot = try plans.withLock { (plans: inout [ScenarioPlan]) throws(Failure) -> Int in
            guard plans.count < slots else { throw .full(slots) }
            plans.append(plan)
            return plans.count - 1
        }
        if plan.entry.family.isService {
            services.withLock { $0.add(plan, index: firstIndex + slot) }
            serviceCount.add(1, ordering: .releasing)
        }
        published.store(slot + 1, ordering: .releasing)
        return slot
    }

    /// Entries published so far.
    @inline(__always)
    var count: Int { published.load(ordering: .acquiring) }

    func plan(_ slot: Int) -> ScenarioPlan { plans.withLock { $0[slot] } }

    /// The service incidents started at run time that `host` is in at `ms`.
    @inline(__always)
    func serviceIncidents(host: UInt32, atMs ms: Int64, seed: UInt64) -> (degraded: ServiceIncidents.Incident?, failing: ServiceIncidents.Incident?) {
        guard serviceCount.load(ordering: .acquiring) > 0 else { return (nil, nil) }
        return services.withLock { $0.incidents(host: host, atMs: ms, seed: seed) }
    }
}

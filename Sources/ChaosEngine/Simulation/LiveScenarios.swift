import Synchronization
import TelemetryModel

/// Scenario entries started while a run goes (`POST /api/incidents` of `netchaos up`): each takes
/// one of a fixed number of slots (processes the simulation reserved), and the shards pick it up at
/// their next step. Its first occurrence must lie ahead of every shard's time (the caller sets it).
public final class LiveScenarios: Sendable {
    public let slots: Int
    private let plans = Mutex<[ScenarioPlan]>([])
    private let published = Atomic<Int>(0)

    init(slots: Int) {
        self.slots = slots
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
        published.store(slot + 1, ordering: .releasing)
        return slot
    }

    /// Entries published so far.
    @inline(__always)
    var count: Int { published.load(ordering: .acquiring) }

    func plan(_ slot: Int) -> ScenarioPlan { plans.withLock { $0[slot] } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Places where a test can make the process fail on purpose, to prove that what it promises
/// (nothing lost, nothing stored twice) holds when it dies there. Off unless the environment
/// variable `NETCHAOS_FAILPOINTS` names points, for example
/// `NETCHAOS_FAILPOINTS=sink.after_upload_before_commit=crash@3,store.after_rename_before_cleanup=crash`.
///
/// A point costs one load and one branch when nothing is armed, and the points sit where a batch
/// or an object is handled, never per record.
public enum FailPoints {
    /// What an armed point does when reached.
    public enum Action: Equatable, Sendable, CustomStringConvertible {
        /// The process kills itself with SIGKILL (as `kill -9` does: no handler, no flush, no cleanup).
        case crash
        /// The process waits this many milliseconds, then goes on (to widen a race on purpose).
        case delay(milliseconds: Int)

        public var description: String {
            switch self {
            case .crash: "crash"
            case .delay(let milliseconds): "delay:\(milliseconds)"
            }
        }
    }

    /// One armed point: its action and the hit (1 is the first time the point is reached) from
    /// which it acts.
    public struct Arm: Equatable, Sendable {
        public var action: Action
        public var fromHit: Int

        public init(action: Action, fromHit: Int = 1) {
            self.action = action
            self.fromHit = fromHit
        }
    }

    /// Why `NETCHAOS_FAILPOINTS` could not be read.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The environment variable that arms points.
    public static let variable = "NETCHAOS_FAILPOINTS"

    /// Reads a specification: comma-separated `point=action`, where action is `crash`,
    /// `crash@N` (from the Nth time the point is reached), `delay:MS` or `delay:MS@N`.
    public static func parse(_ text: String) throws(ParseError) -> [FailPoint: Arm] {
        var armed: [FailPoint: Arm] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let entry = item.trimmingSpaces
            guard !entry.isEmpty else { continue }
            guard let equals = entry.firstIndex(of: "=") else {
                throw ParseError(message: "\(variable): '\(entry)' is not point=action (for example \(FailPoint.sinkAfterUploadBeforeCommit.rawValue)=crash)")
            }
            let name = String(entry[..<equals])
            guard let point = FailPoint(rawValue: name) else {
                throw ParseError(message: "\(variable): unknown fail point '\(name)'; known points: \(FailPoint.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var actionText = Substring(entry[entry.index(after: equals)...])
            var fromHit = 1
            if let at = actionText.lastIndex(of: "@") {
                guard let hit = Int(actionText[actionText.index(after: at)...]), hit >= 1 else {
                    throw ParseError(message: "\(variable): '\(entry)': the hit after @ must be a whole number from 1")
                }
                fromHit = hit
                actionText = actionText[..<at]
            }
            let action: Action
            if actionText == "crash" {
                action = .crash
            } else if actionText.hasPrefix("delay:"), let milliseconds = Int(actionText.dropFirst("delay:".count)), milliseconds >= 0 {
                action = .delay(milliseconds: milliseconds)
            } else {
                throw ParseError(message: "\(variable): '\(entry)': unknown action '\(actionText)' (crash, crash@N, delay:MS or delay:MS@N)")
            }
            armed[point] = Arm(action: action, fromHit: fromHit)
        }
        return armed
    }

    /// The points armed by the environment (none when the variable is unset or unreadable; a
    /// command checks it at start with ``validateEnvironment()`` and stops on an error).
    private static let armed: [FailPoint: Arm] = {
        guard let raw = getenv(variable) else { return [:] }
        return (try? parse(String(cString: raw))) ?? [:]
    }()

    private static let anyArmed = !armed.isEmpty
    private static let hits = Mutex<[FailPoint: Int]>([:])

    /// Checks `NETCHAOS_FAILPOINTS` (nil when unset or valid); a command calls it at start.
    public static func validateEnvironment() -> ParseError? {
        guard let raw = getenv(variable) else { return nil }
        do throws(ParseError) {
            _ = try parse(String(cString: raw))
            return nil
        } catch {
            return error
        }
    }

    /// True when at least one point is armed in this process.
    public static var active: Bool { anyArmed }

    /// Marks that `point` was reached; does what its arm says, if it is armed.
    @inline(__always)
    public static func reach(_ point: FailPoint) {
        guard anyArmed else { return }
        act(point)
    }

    @inline(never)
    private static func act(_ point: FailPoint) {
        guard let arm = armed[point] else { return }
        let hit = hits.withLock { counts -> Int in
            counts[point, default: 0] += 1
            return counts[point]!
        }
        guard hit >= arm.fromHit else { return }
        let line = "netchaos: fail point \(point.rawValue) reached (hit \(hit)): \(arm.action)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        switch arm.action {
        case .crash:
            kill(getpid(), SIGKILL)
            // SIGKILL cannot be caught; should it not have been delivered yet, end here anyway.
            _exit(137)
        case .delay(let milliseconds):
            usleep(useconds_t(milliseconds) * 1000)
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}

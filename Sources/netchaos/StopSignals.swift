import Dispatch
import Foundation
import ServiceLifecycle

/// SIGINT and SIGTERM for a command's service group: the first asks the group to shut down
/// gracefully (outputs flushed, offsets committed, the summary written); a second, while that
/// runs, stops the process at once with a message saying so (exit status 128 + the signal).
///
/// Sendable: `seen` is touched only in `caught`, which runs on the serial `queue` (both signal sources'
/// handler queue); `sources` is a `let` array of dispatch sources, which are thread-safe.
final class StopSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let queue = DispatchQueue(label: "netchaos-stop-signals")
    /// Signals seen (touched on `queue` only).
    private var seen = 0

    /// Starts watching; `group` is asked to shut down on the first signal.
    init(group: ServiceGroup) {
        let signals = [SIGINT, SIGTERM]
        for number in signals { signal(number, SIG_IGN) }
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            sources.append(source)
        }
        self.sources = sources
        for (source, number) in zip(sources, signals) {
            source.setEventHandler { [unowned self] in self.caught(number, group: group) }
            source.resume()
        }
    }

    private func caught(_ number: Int32, group: ServiceGroup) {
        seen += 1
        if seen == 1 {
            Task { await group.triggerGracefulShutdown() }
            return
        }
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        FileHandle.standardError.write(Data("netchaos: \(name) again while stopping: stopping at once, without flushing or committing what is in flight\n".utf8))
        _exit(128 + number)
    }

    /// Stops watching (the default handlers come back).
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

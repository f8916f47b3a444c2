import Synchronization

/// The run's manifest as it grows: the writer thread notes every record all outputs took, and a
/// reader (`netchaos up`'s reconciliation) takes a copy whenever it likes. One lock per chunk.
public final class ManifestRecorder: Sendable {
    private let manifest: Mutex<RunManifest>

    init(generatorID: String, dataset: Dataset) {
        manifest = Mutex(RunManifest(generatorID: generatorID, dataset: dataset))
    }

    /// Notes records `range` of `chunk`, which every output took.
    func observe(_ chunk: FlowChunk, _ range: Range<Int>) {
        manifest.withLock { $0.observe(chunk, range) }
    }

    /// The manifest so far: every slot below its `slots` has been taken or planned away.
    public var snapshot: RunManifest { manifest.withLock { $0 } }
}

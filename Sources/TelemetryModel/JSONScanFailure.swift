/// Why ``JSONByteScanner`` (or the validator on it) stopped: the problem, at bytes `start..<end`
/// of the input (`start` is `count` when the input ends early), while reading `path`.
public struct JSONScanFailure: Error {
    /// What went wrong (for syntax, what was expected there).
    public var problem: JSONScanProblem
    /// The first byte of the problem, or `count` at the end of the input.
    public var start: Int
    /// The byte after the problem.
    public var end: Int
    /// The flow record's field being read (the validator's).
    var path: FlowFieldPath
}

/// Why ``JSONByteScanner`` (or the validator on it) stopped: the problem, at bytes `start..<end`
/// of the input (`start` is `count` when the input ends early), while reading `path`.
public struct JSONScanFailure: Error {
    public var problem: JSONScanProblem
    public var start: Int
    public var end: Int
    /// The flow record's field being read (the validator's).
    var path: FlowFieldPath
}

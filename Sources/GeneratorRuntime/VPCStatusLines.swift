import ChaosEngine
import TelemetryFormats
import TelemetryModel

/// The status lines of a VPC flow log: `NODATA` for an interface that logged nothing in a capture
/// window, `SKIPDATA` for one whose records of the window were left out. The writer feeds it the
/// records in report order; a window is settled once a record reports two windows later (a record
/// spans at most one window boundary), and its lines then go into the log.
final class VPCStatusLines {
    let encoder: FlowVPCEncoder
    /// The interfaces this run reports (its shards' hosts inside VPCs).
    private let hosts: [Int]
    private let noData: Bool
    /// Open windows: which hosts had traffic, one bit each.
    private var activity: [Int64: [UInt64]] = [:]
    private let words: Int
    /// The first window settled (the run's first window is partial and never reported).
    private var nextToSettle: Int64?
    private var scratch = WriteBuffer(capacity: 0)

    init(encoder: FlowVPCEncoder, hosts: [Int], noData: Bool) {
        self.encoder = encoder
        self.hosts = hosts
        self.noData = noData
        words = ((hosts.max() ?? 0) + 64) / 64
    }

    /// Notes the traffic of `e`; returns true when a window is ready to settle before it.
    @inline(__always)
    func note(_ e: FlowEvent) -> Bool {
        let first = encoder.window(ofMs: e.startMs)
        let last = encoder.window(ofMs: e.endMs)
        if nextToSettle == nil { nextToSettle = last + 1 }
        let ready = last >= nextToSettle! + 2
        for window in first...last where window >= nextToSettle! {
            for host in [Int(e.srcHost), Int(e.dstHost)] where encoder.hasInterface(host) {
                if activity[window] == nil { activity[window] = Array(repeating: 0, count: words) }
                activity[window]![host >> 6] |= 1 << UInt64(host & 63)
            }
        }
        return ready
    }

    /// Status lines of every window settled by a record that ends in window `last` (valid until
    /// the next call).
    func settle(before last: Int64) -> UnsafeRawBufferPointer? {
        guard let window = nextToSettle, window + 2 <= last else { return nil }
        scratch.removeAll()
        scratch.reserve(Int(last - window) * hosts.count * encoder.maxStatusBytes)
        let encoder = self.encoder
        var p = scratch.base + scratch.count
        let end = settle(before: last) { host, window, skipped in encoder.writeStatus(&p, host: host, window: window, skipped: skipped) }
        _ = end
        scratch.withWriter { _ in p }
        return UnsafeRawBufferPointer(start: scratch.base, count: scratch.count)
    }

    /// Tells `line` the host, window and kind (SKIPDATA or NODATA) of every status line of the
    /// windows settled by a record that ends in window `last`, in window then host order.
    @discardableResult
    func settle<E: Error>(before last: Int64, _ line: (Int, Int64, Bool) throws(E) -> Void) throws(E) -> Int64 {
        guard var window = nextToSettle, window + 2 <= last else { return nextToSettle ?? last }
        while window + 2 <= last {
            let seen = activity.removeValue(forKey: window)
            for host in hosts {
                let active = seen.map { $0[host >> 6] & (1 << UInt64(host & 63)) != 0 } ?? false
                if active && encoder.skips(host: host, window: window) {
                    try line(host, window, true)
                } else if !active && noData {
                    try line(host, window, false)
                }
            }
            window += 1
        }
        nextToSettle = window
        return window
    }

    /// The window of a record's end.
    @inline(__always)
    func window(of e: FlowEvent) -> Int64 { encoder.window(ofMs: e.endMs) }
}

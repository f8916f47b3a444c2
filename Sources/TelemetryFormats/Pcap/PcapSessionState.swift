/// What a session's packets carry from one record to the next: each side's next sequence number
/// and IP id, and the ICMP echo identifier and sequence number. A new session's initial sequence
/// numbers come from its id, so the same seed gives the same capture.
struct PcapSessionState {
    var clientNext: UInt32
    var serverNext: UInt32
    var clientIPID: UInt16
    var serverIPID: UInt16
    var icmpID: UInt16
    var icmpSeq: UInt16
    /// The end of the session's latest record (event time), for forgetting quiet sessions.
    var lastEndMs: Int64

    init(session: Int64, endMs: Int64) {
        let z = SessionBits.mix(UInt64(bitPattern: session))
        clientNext = UInt32(truncatingIfNeeded: z)
        serverNext = UInt32(truncatingIfNeeded: z >> 32)
        clientIPID = UInt16(truncatingIfNeeded: z >> 7)
        serverIPID = UInt16(truncatingIfNeeded: z >> 23)
        icmpID = UInt16(truncatingIfNeeded: z >> 41)
        icmpSeq = 1
        lastEndMs = endMs
    }
}

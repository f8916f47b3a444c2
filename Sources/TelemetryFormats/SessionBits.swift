/// Bits derived from a session id, the same in every run of a seed: SplitMix64's finalizer, which
/// spreads consecutive ids over all 64 bits (Zeek uids, a capture's initial sequence numbers).
enum SessionBits {
    @inline(__always)
    static func mix(_ v: UInt64) -> UInt64 {
        var z = v &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The payload of a DNS packet in a capture: a query for the record's name from the client, the
/// answer (A records) from the server, of exactly the packet's payload length, so that decoders
/// read a well-formed message and the bytes still add up to the record's. The name is the
/// record's `app_layer.host` (a DNS tunnel's long encoded labels included); the message reaches
/// its length with answers and an EDNS(0) OPT record (carrying Padding, RFC 7830), or, when the
/// room is short, with the name's leading labels dropped or a filler label added.
enum PcapDNSMessage {
    /// Writes a message of `length` bytes at `out`; when no question fits (under 17 bytes, or 18),
    /// a header without one and zeros after it; false under 12 (no DNS message is that short).
    static func write(_ out: UnsafeMutablePointer<UInt8>, length: Int, name: UnsafeBufferPointer<UInt8>, response: Bool, id: UInt16) -> Bool {
        func headerOnly() -> Bool {
            guard length >= 12 else { return false }
            out.initialize(repeating: 0, count: length)
            out[0] = UInt8(id >> 8)
            out[1] = UInt8(id & 0xFF)
            out[2] = response ? 0x81 : 0x01
            out[3] = response ? 0x80 : 0x00
            return true
        }
        guard length >= 17 else { return headerOnly() }
        var labels = name.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: true).map { Array($0.prefix(63)) }
        func encoded() -> Int { labels.reduce(1) { $0 + 1 + $1.count } }
        // Keep the question within the message and the name within DNS's 255 bytes.
        while !labels.isEmpty && (encoded() > length - 16 || encoded() > 255) { labels.removeFirst() }
        var answers = 0
        var room = length - 16 - encoded()
        if response {
            answers = min(8, room / 16)
            room -= 16 * answers
            if room > 0 && room < 15 && answers > 0 {
                answers -= 1
                room += 16
            }
        }
        // What is left: an OPT record (11 bytes) with Padding (15 bytes or more), else a longer name.
        if room > 0 && room < 15 && room != 11 {
            if room >= 2 && encoded() + room <= 255 {
                labels.insert([UInt8](repeating: UInt8(ascii: "x"), count: room - 1), at: 0)
            } else if let first = labels.first, first.count < 63, room == 1 {
                labels[0].append(UInt8(ascii: "x"))
            } else {
                return headerOnly()
            }
            room = 0
        }
        var p = out
        func u16(_ v: UInt16) {
            p[0] = UInt8(v >> 8)
            p[1] = UInt8(v & 0xFF)
            p += 2
        }
        u16(id)
        u16(response ? 0x8180 : 0x0100)
        u16(1)
        u16(UInt16(answers))
        u16(0)
        u16(room > 0 ? 1 : 0)
        for label in labels {
            p[0] = UInt8(label.count)
            p += 1
            for c in label {
                p[0] = c
                p += 1
            }
        }
        p[0] = 0
        p += 1
        u16(1)  // A
        u16(1)  // IN
        for i in 0..<answers {
            u16(0xC00C)  // the question's name
            u16(1)
            u16(1)
            u16(0)
            u16(300)  // TTL
            u16(4)
            u16(0x0A00 | UInt16(truncatingIfNeeded: id >> 8))
            u16(UInt16(truncatingIfNeeded: Int(id) &+ i))
        }
        if room > 0 {
            p[0] = 0  // root
            p += 1
            u16(41)  // OPT
            u16(1_232)  // UDP payload size
            u16(0)
            u16(0)
            u16(UInt16(room - 11))
            if room >= 15 {
                u16(12)  // Padding
                u16(UInt16(room - 15))
                p.initialize(repeating: 0, count: room - 15)
                p += room - 15
            }
        }
        assert(p - out == length)
        return true
    }
}

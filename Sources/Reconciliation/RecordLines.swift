/// Calls `body` with each line of `bytes` (without its newline; an empty line is skipped).
enum RecordLines {
    static func forEach(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                var end = start
                while end < all.count && all[end] != UInt8(ascii: "\n") { end += 1 }
                var stop = end
                if stop > start && all[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                if stop > start { body(UnsafeRawBufferPointer(rebasing: all[start..<stop])) }
                start = end + 1
            }
        }
    }
}

extension RandomAccessCollection where Element == UInt8, Index == Int {
    /// The 4-byte little-endian unsigned length at `index` (the caller has checked that the four
    /// bytes are there): Parquet's footer length, v1 level lengths and PLAIN byte-array lengths.
    func littleEndianLength(at index: Int) -> Int {
        Int(self[index]) | Int(self[index + 1]) << 8 | Int(self[index + 2]) << 16 | Int(self[index + 3]) << 24
    }
}

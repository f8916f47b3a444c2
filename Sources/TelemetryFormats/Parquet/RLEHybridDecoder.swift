/// Reads Parquet's RLE / bit-packing hybrid encoding (definition levels, dictionary indices):
/// a varint header whose low bit tells a bit-packed run (groups of eight values, LSB first) from
/// an RLE run (a count and one value in whole bytes). Every read is bounds-checked.
enum RLEHybridDecoder {
    /// Decodes `count` values of `bitWidth` bits (0-32) from the start of `data`, appending them
    /// to `values`; returns the bytes read. `what` names the data in errors.
    @discardableResult
    static func decode(
        _ data: ArraySlice<UInt8>, bitWidth: Int, count: Int, into values: inout [UInt32], what: String
    ) throws(ParquetReadError) -> Int {
        guard (0...32).contains(bitWidth) else { throw ParquetReadError(.badPage, "\(what): bit width \(bitWidth) is more than 32") }
        let target = values.count + count
        values.reserveCapacity(target)
        let end = data.endIndex
        var i = data.startIndex
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        while values.count < target {
            let header = try varint(data, &i, what: what, read: values.count - (target - count), of: count)
            let wanted = target - values.count
            if header & 1 == 1 {
                // Bit-packed: `groups` groups of eight values, `bitWidth` bytes each.
                let groups = header >> 1
                let runValues = groups > UInt64(Int.max / 8) ? Int.max : Int(groups) * 8
                let take = min(runValues, wanted)
                let needed = (take * bitWidth + 7) / 8
                guard needed <= end - i else {
                    throw ParquetReadError(.badPage, "\(what): a bit-packed run needs \(needed) bytes, but only \(end - i) are left")
                }
                var accumulator: UInt64 = 0
                var bits = 0
                var p = i
                for _ in 0..<take {
                    while bits < bitWidth {
                        accumulator |= UInt64(data[p]) << UInt64(bits)
                        p += 1
                        bits += 8
                    }
                    values.append(UInt32(truncatingIfNeeded: accumulator & mask))
                    accumulator >>= UInt64(bitWidth)
                    bits -= bitWidth
                }
                // The run's whole length, or what is left of it (its padding may be cut).
                let runBytes: Int
                if bitWidth == 0 {
                    runBytes = 0
                } else if groups > UInt64((end - i) / bitWidth) {
                    runBytes = end - i
                } else {
                    runBytes = Int(groups) * bitWidth
                }
                i += max(runBytes, needed)
            } else {
                let run = header >> 1
                guard byteWidth <= end - i else {
                    throw ParquetReadError(.badPage, "\(what): an RLE run's value needs \(byteWidth) bytes, but only \(end - i) are left")
                }
                var value: UInt64 = 0
                for k in 0..<byteWidth { value |= UInt64(data[i + k]) << UInt64(8 * k) }
                i += byteWidth
                guard value <= mask else { throw ParquetReadError(.badPage, "\(what): an RLE run repeats \(value), wider than \(bitWidth) bits") }
                let take = run > UInt64(wanted) ? wanted : Int(run)
                values.append(contentsOf: repeatElement(UInt32(value), count: take))
            }
        }
        return i - data.startIndex
    }

    private static func varint(_ data: ArraySlice<UInt8>, _ i: inout Int, what: String, read: Int, of count: Int) throws(ParquetReadError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard i < data.endIndex else {
                throw ParquetReadError(.badPage, "\(what): the data ends after \(read) of \(count) values")
            }
            let b = data[i]
            i += 1
            guard shift < 63 || (shift == 63 && b <= 1) else { throw ParquetReadError(.badPage, "\(what): a run header longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }
}

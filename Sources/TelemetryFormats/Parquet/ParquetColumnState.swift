import TelemetryModel

/// The buffered chunk of one leaf column: definition and repetition levels, and values either
/// PLAIN-encoded or as indices into a dictionary, with their statistics.
///
/// Callers append one level per value slot: a value (at the column's highest definition level)
/// or a null / empty list (at a lower level). `repetition` is 0 at the start of each row.
/// Non-copyable and mutated in place (``ParquetColumnWriter/batch(_:)``), so appends in a loop
/// cost no reference counting, uniqueness or exclusivity checks.
public struct ParquetColumnState: ~Copyable {
    let physical: ParquetPhysicalType
    let maxDefinition: UInt8
    let maxRepetition: UInt8
    let dictionaryWanted: Bool

    var definitions = RawVector<UInt8>()
    var repetitions = RawVector<UInt8>()
    /// Level index where each row starts (columns inside lists only).
    var rowLevelStarts = RawVector<Int>()
    var levelCount = 0
    var valueCount = 0
    var nullCount = 0

    /// PLAIN-encoded values (when not dictionary-encoded).
    var plain = WriteBuffer(capacity: 1024)
    /// Where each byte-array value starts in `plain`.
    var plainStarts = RawVector<Int>()
    var booleans = RawVector<Bool>()

    var dictionaryEnabled: Bool
    var dictionary = ParquetDictionary()
    var indices = RawVector<UInt32>()
    /// Dictionaries past these sizes fall back to PLAIN for the rest of the chunk.
    static let dictionaryEntryLimit = 1 << 16
    static let dictionaryByteLimit = 1 << 20

    var statistics = ParquetStatistics()

    init(_ descriptor: ParquetColumnDescriptor) {
        physical = descriptor.physicalType
        maxDefinition = descriptor.maxDefinition
        maxRepetition = descriptor.maxRepetition
        dictionaryWanted = descriptor.dictionary && descriptor.physicalType != .boolean
        dictionaryEnabled = dictionaryWanted
    }

    /// Rows buffered.
    var rowCount: Int { maxRepetition > 0 ? rowLevelStarts.count : levelCount }

    /// Bytes buffered, roughly what the chunk takes uncompressed.
    var bufferedBytes: Int {
        levelCount * ((maxDefinition > 0 ? 1 : 0) + (maxRepetition > 0 ? 1 : 0)) / 4 + plain.count + indices.count * 2 + dictionary.entries.count
    }

    // MARK: - Appending

    @inline(__always)
    mutating func level(_ definition: UInt8, _ repetition: UInt8) {
        if maxRepetition > 0 {
            if repetition == 0 { rowLevelStarts.append(levelCount) }
            repetitions.append(repetition)
        }
        if maxDefinition > 0 { definitions.append(definition) }
        levelCount += 1
    }

    /// A null (or an empty or null list) at `definition` < the column's highest level.
    @inline(__always)
    public mutating func appendNull(definition: UInt8 = 0, repetition: UInt8 = 0) {
        level(definition, repetition)
        nullCount += 1
    }

    @inline(__always)
    public mutating func append(_ value: Int64, repetition: UInt8 = 0) {
        level(maxDefinition, repetition)
        valueCount += 1
        if dictionaryEnabled {
            dictionaryAppend(key: UInt64(bitPattern: value)) { $0.appendLittleEndian(value) }
        } else {
            plain.appendLittleEndian(value)
            statistics.update(value)
        }
    }

    @inline(__always)
    public mutating func append(_ value: Int32, repetition: UInt8 = 0) {
        level(maxDefinition, repetition)
        valueCount += 1
        if dictionaryEnabled {
            dictionaryAppend(key: UInt64(UInt32(bitPattern: value))) { $0.appendLittleEndian(value) }
        } else {
            plain.appendLittleEndian(value)
            statistics.update(Int64(value))
        }
    }

    @inline(__always)
    public mutating func append(_ value: Double, repetition: UInt8 = 0) {
        level(maxDefinition, repetition)
        valueCount += 1
        if dictionaryEnabled {
            dictionaryAppend(key: value.bitPattern) { $0.appendLittleEndian(value.bitPattern) }
        } else {
            plain.appendLittleEndian(value.bitPattern)
            statistics.update(value)
        }
    }

    @inline(__always)
    public mutating func append(_ value: Bool, repetition: UInt8 = 0) {
        level(maxDefinition, repetition)
        valueCount += 1
        booleans.append(value)
        statistics.update(value)
    }

    /// A byte-array value, found in the dictionary by a hash of its bytes.
    @inline(__always)
    public mutating func append(bytes: UnsafeRawBufferPointer, repetition: UInt8 = 0) {
        level(maxDefinition, repetition)
        valueCount += 1
        if dictionaryEnabled {
            let key = Self.hash(bytes)
            let (found, slot) = dictionary.find(key)
            if let found {
                if dictionary.entryBytes(Int(found)).elementsEqual(bytes) {
                    indices.append(found)
                    return
                }
                // Two values with one hash: stop using the dictionary in this chunk.
                fallBackToPlain()
            } else {
                indices.append(dictionary.insert(key, slot: slot, isByteArray: true) { $0.appendByteArray(bytes) })
                if dictionary.count > Self.dictionaryEntryLimit || dictionary.entries.count > Self.dictionaryByteLimit { fallBackToPlain() }
                return
            }
        }
        plainStarts.append(plain.count)
        plain.appendByteArray(bytes)
        statistics.update(bytes)
    }

    public mutating func append(_ string: String, repetition: UInt8 = 0) {
        var copy = string
        copy.withUTF8 { append(bytes: UnsafeRawBufferPointer($0), repetition: repetition) }
    }

    /// A byte-array value the caller identifies by `key` (equal keys, equal bytes): `write`
    /// appends the bytes, and runs only when the value is not in the dictionary yet.
    @inline(__always)
    public mutating func append(key: UInt64, repetition: UInt8 = 0, write: (inout WriteBuffer) -> Void) {
        level(maxDefinition, repetition)
        valueCount += 1
        if dictionaryEnabled {
            dictionaryAppend(key: key) { buffer in
                let start = buffer.count
                buffer.appendLittleEndian(UInt32(0))
                write(&buffer)
                buffer.patchLength(at: start)
            }
        } else {
            let start = plain.count
            plainStarts.append(start)
            plain.appendLittleEndian(UInt32(0))
            write(&plain)
            plain.patchLength(at: start)
            plain.withBytes(start + 4..<plain.count) { statistics.update($0) }
        }
    }

    @inline(__always)
    private mutating func dictionaryAppend(key: UInt64, write: (inout WriteBuffer) -> Void) {
        let (found, slot) = dictionary.find(key)
        if let found {
            indices.append(found)
            return
        }
        indices.append(dictionary.insert(key, slot: slot, isByteArray: physical == .byteArray, write: write))
        if dictionary.count > Self.dictionaryEntryLimit || dictionary.entries.count > Self.dictionaryByteLimit { fallBackToPlain() }
    }

    /// Rewrites the values buffered so far as PLAIN and stops dictionary encoding for this chunk.
    mutating func fallBackToPlain() {
        dictionaryEnabled = false
        for i in 0..<indices.count { appendPlainEntry(Int(indices[i])) }
        indices.removeAll()
        dictionary.removeAll()
    }

    private mutating func appendPlainEntry(_ index: Int) {
        switch physical {
        case .byteArray:
            let bytes = dictionary.entryBytes(index)
            plainStarts.append(plain.count)
            plain.appendByteArray(bytes)
            statistics.update(bytes)
        case .int32:
            let value = dictionary.entries.withBytes(index * 4..<index * 4 + 4) { $0.loadUnaligned(as: Int32.self) }
            plain.appendLittleEndian(value)
            statistics.update(Int64(value))
        case .int64:
            let value = dictionary.entries.withBytes(index * 8..<index * 8 + 8) { $0.loadUnaligned(as: Int64.self) }
            plain.appendLittleEndian(value)
            statistics.update(value)
        case .double:
            let bits = dictionary.entries.withBytes(index * 8..<index * 8 + 8) { $0.loadUnaligned(as: UInt64.self) }
            plain.appendLittleEndian(bits)
            statistics.update(Double(bitPattern: bits))
        case .boolean:
            break
        }
    }

    /// Statistics of the dictionary's entries (every entry is used by the chunk).
    func dictionaryStatistics() -> ParquetStatistics {
        var result = ParquetStatistics()
        for index in 0..<dictionary.count {
            switch physical {
            case .byteArray: result.update(dictionary.entryBytes(index))
            case .int32: result.update(Int64(dictionary.entries.withBytes(index * 4..<index * 4 + 4) { $0.loadUnaligned(as: Int32.self) }))
            case .int64: result.update(dictionary.entries.withBytes(index * 8..<index * 8 + 8) { $0.loadUnaligned(as: Int64.self) })
            case .double: result.update(Double(bitPattern: dictionary.entries.withBytes(index * 8..<index * 8 + 8) { $0.loadUnaligned(as: UInt64.self) }))
            case .boolean: break
            }
        }
        return result
    }

    /// Forgets the buffered chunk (the memory stays for the next one).
    mutating func reset() {
        definitions.removeAll()
        repetitions.removeAll()
        rowLevelStarts.removeAll()
        levelCount = 0
        valueCount = 0
        nullCount = 0
        plain.removeAll()
        plainStarts.removeAll()
        booleans.removeAll()
        indices.removeAll()
        dictionary.removeAll()
        dictionaryEnabled = dictionaryWanted
        statistics = ParquetStatistics()
    }

    /// A 64-bit hash of a byte string (for dictionary keys of unkeyed byte arrays).
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h >> 31)
    }
}

extension WriteBuffer {
    @inline(__always)
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        withWriter { p in
            UnsafeMutableRawPointer(p).storeBytes(of: value.littleEndian, as: T.self)
            return p + MemoryLayout<T>.size
        }
    }

    /// A PLAIN byte array: 4-byte little-endian length, then the bytes.
    @inline(__always)
    mutating func appendByteArray(_ bytes: UnsafeRawBufferPointer) {
        appendLittleEndian(UInt32(bytes.count))
        append(bytes)
    }

    /// Stores at `start` the length of the bytes written after its 4-byte slot.
    @inline(__always)
    mutating func patchLength(at start: Int) {
        UnsafeMutableRawPointer(base + start).storeBytes(of: UInt32(count - start - 4).littleEndian, as: UInt32.self)
    }
}

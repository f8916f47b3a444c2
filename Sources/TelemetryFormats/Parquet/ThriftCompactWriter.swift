/// Writes Thrift's compact protocol, the encoding of Parquet's page headers and footer
/// (`parquet.thrift`): field headers carry the id delta and the type in one byte, integers are
/// zigzag varints, strings are length-prefixed, structs end with a stop byte.
struct ThriftCompactWriter {
    typealias FieldType = ThriftFieldType

    private(set) var bytes: [UInt8] = []
    /// The last field id written, per open struct.
    private var lastFieldIDs: [Int16] = [0]

    init() {
        bytes.reserveCapacity(256)
    }

    /// Encodes one top-level struct.
    static func encode(_ body: (inout ThriftCompactWriter) -> Void) -> [UInt8] {
        var writer = ThriftCompactWriter()
        body(&writer)
        writer.bytes.append(0)
        return writer.bytes
    }

    // MARK: - Fields

    mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func i8(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        varint(zigzag(Int64(value)))
    }

    mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        varint(zigzag(value))
    }

    mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// A nested struct (or a union with one member set).
    mutating func structure(_ id: Int16, _ body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        nested(body)
    }

    /// An empty struct, as unions use for their markers (`StringType`, `MilliSeconds`).
    mutating func empty(_ id: Int16) {
        structure(id) { _ in }
    }

    mutating func list<T>(_ id: Int16, of items: [T], _ element: (inout ThriftCompactWriter, T) -> Void) {
        fieldHeader(id, .list)
        listHeader(items.count, .structure)
        for item in items { nested { element(&$0, item) } }
    }

    mutating func list(_ id: Int16, i32 items: [Int32]) {
        fieldHeader(id, .list)
        listHeader(items.count, .i32)
        for item in items { varint(zigzag(Int64(item))) }
    }

    mutating func list(_ id: Int16, strings items: [String]) {
        fieldHeader(id, .list)
        listHeader(items.count, .binary)
        for item in items {
            varint(UInt64(item.utf8.count))
            bytes.append(contentsOf: item.utf8)
        }
    }

    // MARK: - Encoding

    private mutating func nested(_ body: (inout ThriftCompactWriter) -> Void) {
        lastFieldIDs.append(0)
        body(&self)
        bytes.append(0)
        lastFieldIDs.removeLast()
    }

    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldIDs[lastFieldIDs.count - 1])
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(zigzag(Int64(id)))
        }
        lastFieldIDs[lastFieldIDs.count - 1] = id
    }

    private mutating func listHeader(_ count: Int, _ type: FieldType) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.rawValue)
        } else {
            bytes.append(0xF0 | type.rawValue)
            varint(UInt64(count))
        }
    }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}

/// Reads Thrift's compact protocol (the encoding of Parquet's footer and page headers) from a
/// range of bytes, every read bounds-checked: field headers carry the id delta and the type in one
/// byte, integers are zigzag varints, strings are length-prefixed, structs end with a stop byte.
/// Fields a caller does not know are skipped whatever their type, nested to ``maximumDepth``.
struct ThriftCompactReader {
    typealias FieldType = ThriftFieldType

    /// Structs and containers nested deeper than this are refused (a crafted footer could
    /// otherwise recurse without end).
    static let maximumDepth = 64

    let bytes: [UInt8]
    let end: Int
    private(set) var position: Int
    /// What is being read, for error messages (`the footer`, `the page header at byte 812`).
    let context: String
    private var depth = 0

    init(bytes: [UInt8], range: Range<Int>, context: String) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count)
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.context = context
    }

    // MARK: - Structs

    /// Reads one struct: `field` is called with each field's id and type and returns whether it
    /// read the value; the values of fields it does not read are skipped.
    mutating func readStruct(
        _ name: String, _ field: (inout ThriftCompactReader, Int16, FieldType) throws(ParquetReadError) -> Bool
    ) throws(ParquetReadError) {
        try enter(name)
        defer { depth -= 1 }
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return }
            let type = try fieldType(header & 0x0F, in: name)
            let delta = Int16(header >> 4)
            let id: Int16
            if delta == 0 {
                let raw = zigzag(try varint())
                guard let exact = Int16(exactly: raw) else { throw malformed("\(name) has a field id \(raw) out of range") }
                id = exact
            } else {
                let (sum, overflow) = lastID.addingReportingOverflow(delta)
                guard !overflow else { throw malformed("\(name) has a field id past \(Int16.max)") }
                id = sum
            }
            lastID = id
            if try !field(&self, id, type) { try skip(type, inContainer: false) }
        }
    }

    // MARK: - Values

    mutating func i32(_ type: FieldType, _ what: String) throws(ParquetReadError) -> Int32 {
        try expect(type, .i32, what)
        let value = zigzag(try varint())
        guard let exact = Int32(exactly: value) else { throw malformed("\(what) is \(value), out of the i32 range") }
        return exact
    }

    mutating func i64(_ type: FieldType, _ what: String) throws(ParquetReadError) -> Int64 {
        try expect(type, .i64, what)
        return zigzag(try varint())
    }

    /// A bool field (its value is the field header's type).
    func bool(_ type: FieldType, _ what: String) throws(ParquetReadError) -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw malformed("\(what) is a \(type.name), expected a bool")
        }
    }

    /// The byte range of a binary value (in ``bytes``).
    mutating func binary(_ type: FieldType, _ what: String) throws(ParquetReadError) -> Range<Int> {
        try expect(type, .binary, what)
        return try binaryBody(what)
    }

    mutating func string(_ type: FieldType, _ what: String) throws(ParquetReadError) -> String {
        let range = try binary(type, what)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    /// A list of structs, each read by `element`.
    mutating func list<T>(
        _ type: FieldType, _ what: String, of elementType: FieldType, _ element: (inout ThriftCompactReader) throws(ParquetReadError) -> T
    ) throws(ParquetReadError) -> [T] {
        try expect(type, .list, what)
        let (count, found) = try containerHeader(what)
        guard found == elementType || (elementType == .boolTrue && found == .boolFalse) else {
            throw malformed("\(what) is a list of \(found.name), expected a list of \(elementType.name)")
        }
        try enter(what)
        defer { depth -= 1 }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try element(&self)) }
        return items
    }

    mutating func listOfI32(_ type: FieldType, _ what: String) throws(ParquetReadError) -> [Int32] {
        try list(type, what, of: .i32) { (reader: inout ThriftCompactReader) throws(ParquetReadError) in
            let value = reader.zigzag(try reader.varint())
            guard let exact = Int32(exactly: value) else { throw reader.malformed("\(what) holds \(value), out of the i32 range") }
            return exact
        }
    }

    mutating func listOfStrings(_ type: FieldType, _ what: String) throws(ParquetReadError) -> [String] {
        try list(type, what, of: .binary) { (reader: inout ThriftCompactReader) throws(ParquetReadError) in
            let range = try reader.binaryBody(what)
            return String(decoding: reader.bytes[range], as: UTF8.self)
        }
    }

    // MARK: - Skipping

    /// Skips one value of `type`. A bool inside a list, set or map takes a byte; as a field it
    /// is all in the field header.
    mutating func skip(_ type: FieldType, inContainer: Bool) throws(ParquetReadError) {
        switch type {
        case .boolTrue, .boolFalse:
            if inContainer { _ = try byte() }
        case .byte:
            _ = try byte()
        case .i16, .i32, .i64:
            _ = try varint()
        case .double:
            try advance(8, "a double")
        case .uuid:
            try advance(16, "a uuid")
        case .binary:
            _ = try binaryBody("a binary value")
        case .list, .set:
            let (count, elementType) = try containerHeader("a \(type.name)")
            try enter("a \(type.name)")
            defer { depth -= 1 }
            for _ in 0..<count { try skip(elementType, inContainer: true) }
        case .map:
            let count = try length("a map")
            guard count > 0 else { return }
            let types = try byte()
            let keyType = try fieldType(types >> 4, in: "a map")
            let valueType = try fieldType(types & 0x0F, in: "a map")
            try enter("a map")
            defer { depth -= 1 }
            for _ in 0..<count {
                try skip(keyType, inContainer: true)
                try skip(valueType, inContainer: true)
            }
        case .structure:
            try readStruct("a struct") { _, _, _ in false }
        }
    }

    // MARK: - Encoding

    private mutating func byte() throws(ParquetReadError) -> UInt8 {
        guard position < end else { throw truncated() }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func advance(_ count: Int, _ what: String) throws(ParquetReadError) {
        guard count <= end - position else { throw malformed("\(what) needs \(count) bytes, but only \(end - position) are left") }
        position += count
    }

    private mutating func varint() throws(ParquetReadError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, shift < 63 || b <= 1 else { throw malformed("a varint longer than 64 bits at byte \(position - 1)") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private func zigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// A non-negative length no larger than the bytes left (every element or byte takes one).
    private mutating func length(_ what: String) throws(ParquetReadError) -> Int {
        let value = try varint()
        guard value <= UInt64(end - position) else {
            throw malformed("\(what) claims \(value) elements or bytes, but only \(end - position) bytes are left")
        }
        return Int(value)
    }

    private mutating func binaryBody(_ what: String) throws(ParquetReadError) -> Range<Int> {
        let count = try length(what)
        defer { position += count }
        return position..<position + count
    }

    private mutating func containerHeader(_ what: String) throws(ParquetReadError) -> (Int, FieldType) {
        let header = try byte()
        let elementType = try fieldType(header & 0x0F, in: what)
        var count = Int(header >> 4)
        if count == 15 { count = try length(what) }
        // Every element takes a byte at least.
        guard count <= end - position else {
            throw malformed("\(what) claims \(count) elements, but only \(end - position) bytes are left")
        }
        return (count, elementType)
    }

    private func fieldType(_ raw: UInt8, in what: String) throws(ParquetReadError) -> FieldType {
        guard let type = FieldType(rawValue: raw) else { throw malformed("\(what) holds an unknown Thrift type \(raw) at byte \(position - 1)") }
        return type
    }

    private func expect(_ type: FieldType, _ wanted: FieldType, _ what: String) throws(ParquetReadError) {
        guard type == wanted else { throw malformed("\(what) is a \(type.name), expected a \(wanted.name)") }
    }

    private mutating func enter(_ what: String) throws(ParquetReadError) {
        guard depth < Self.maximumDepth else { throw malformed("\(what) is nested more than \(Self.maximumDepth) levels deep") }
        depth += 1
    }

    func malformed(_ message: String) -> ParquetReadError {
        ParquetReadError(.badMetadata, "\(context): \(message)")
    }

    private func truncated() -> ParquetReadError {
        ParquetReadError(.badMetadata, "\(context): the Thrift data ends too soon (at byte \(end))")
    }
}

/// A leaf column of a file's schema: its path from the root, its physical type, and the highest
/// definition and repetition levels its values can have (from the repetitions on its path).
public struct ParquetLeafColumn: Sendable, Hashable {
    public var path: [String]
    /// The physical type id (`Type`): 0 BOOLEAN, 1 INT32, 2 INT64, 3 INT96, 4 FLOAT, 5 DOUBLE,
    /// 6 BYTE_ARRAY, 7 FIXED_LEN_BYTE_ARRAY.
    public var typeID: Int32
    /// The leaf's own repetition: 0 required, 1 optional, 2 repeated.
    public var repetition: Int32
    public var convertedType: Int32?
    public var maxDefinition: Int
    public var maxRepetition: Int

    /// The physical type, when it is one this package reads and writes.
    public var physicalType: ParquetPhysicalType? { ParquetPhysicalType(rawValue: typeID) }

    /// The column's dotted name (`app_layer.host`).
    public var dottedPath: String { path.joined(separator: ".") }

    /// Names of the physical types, for messages.
    static func typeName(_ id: Int32) -> String {
        switch id {
        case 0: "BOOLEAN"
        case 1: "INT32"
        case 2: "INT64"
        case 3: "INT96"
        case 4: "FLOAT"
        case 5: "DOUBLE"
        case 6: "BYTE_ARRAY"
        case 7: "FIXED_LEN_BYTE_ARRAY"
        default: "type \(id)"
        }
    }

    /// The leaves of a depth-first `SchemaElement` list (the root first), in file order.
    static func leaves(of elements: [ParquetSchemaElement]) throws(ParquetReadError) -> [ParquetLeafColumn] {
        guard let root = elements.first else { throw ParquetReadError(.badMetadata, "the footer's schema is empty") }
        guard let rootChildren = root.numChildren, rootChildren >= 0 else {
            throw ParquetReadError(.badMetadata, "the footer's schema root \(root.name) is not a group")
        }
        var leaves: [ParquetLeafColumn] = []
        var next = 1
        for _ in 0..<rootChildren {
            try walk(elements, &next, path: [], definition: 0, repetition: 0, depth: 1, into: &leaves)
        }
        guard next == elements.count else {
            throw ParquetReadError(.badMetadata, "the footer's schema has \(elements.count - next) elements past the root's \(rootChildren) children")
        }
        return leaves
    }

    private static func walk(
        _ elements: [ParquetSchemaElement], _ next: inout Int, path: [String], definition: Int, repetition: Int, depth: Int,
        into leaves: inout [ParquetLeafColumn]
    ) throws(ParquetReadError) {
        guard next < elements.count else {
            throw ParquetReadError(.badMetadata, "the footer's schema ends inside \(path.isEmpty ? "the root" : path.joined(separator: "."))")
        }
        guard depth <= ThriftCompactReader.maximumDepth else {
            throw ParquetReadError(.badMetadata, "the footer's schema is nested more than \(ThriftCompactReader.maximumDepth) levels deep")
        }
        let element = elements[next]
        next += 1
        let path = path + [element.name]
        let repetitionType = element.repetition ?? 0
        guard (0...2).contains(repetitionType) else {
            throw ParquetReadError(.badMetadata, "schema element \(path.joined(separator: ".")) has repetition type \(repetitionType)")
        }
        let definition = definition + (repetitionType == 0 ? 0 : 1)
        let repetition = repetition + (repetitionType == 2 ? 1 : 0)
        if let children = element.numChildren, element.type == nil {
            guard children >= 0, Int(children) <= elements.count - next else {
                throw ParquetReadError(.badMetadata, "schema group \(path.joined(separator: ".")) claims \(children) children, more than the schema holds")
            }
            for _ in 0..<children {
                try walk(elements, &next, path: path, definition: definition, repetition: repetition, depth: depth + 1, into: &leaves)
            }
        } else {
            guard let type = element.type else {
                throw ParquetReadError(.badMetadata, "schema element \(path.joined(separator: ".")) has neither a type nor children")
            }
            leaves.append(ParquetLeafColumn(
                path: path, typeID: type, repetition: repetitionType, convertedType: element.convertedType,
                maxDefinition: definition, maxRepetition: repetition
            ))
        }
    }
}

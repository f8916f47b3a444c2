/// A leaf column of a schema with its place in the nesting: the path, and the highest
/// definition and repetition levels its values can have.
public struct ParquetColumnDescriptor: Sendable {
    public let path: [String]
    public let physicalType: ParquetPhysicalType
    public let logicalType: ParquetLogicalType?
    public let maxDefinition: UInt8
    public let maxRepetition: UInt8
    public let dictionary: Bool
}

/// A message schema: its fields, the flattened leaf columns in file order, and the
/// `SchemaElement` list the footer carries.
public struct ParquetSchema: Sendable {
    public let fields: [ParquetField]
    public let columns: [ParquetColumnDescriptor]

    public init(_ fields: [ParquetField]) {
        self.fields = fields
        var columns: [ParquetColumnDescriptor] = []
        for field in fields { Self.flatten(field, path: [], definition: 0, repetition: 0, into: &columns) }
        self.columns = columns
    }

    /// The index of the column at `path` (`["app_layer", "host"]`, `["flags", "list", "element"]`).
    public func columnIndex(_ path: String...) -> Int? {
        columns.firstIndex { $0.path == path }
    }

    private static func flatten(_ field: ParquetField, path: [String], definition: UInt8, repetition: UInt8, into columns: inout [ParquetColumnDescriptor]) {
        let path = path + [field.name]
        let definition = definition + (field.repetition == .required ? 0 : 1)
        let repetition = repetition + (field.repetition == .repeated ? 1 : 0)
        switch field.kind {
        case .primitive(let physical, let logical):
            columns.append(ParquetColumnDescriptor(
                path: path, physicalType: physical, logicalType: logical,
                maxDefinition: definition, maxRepetition: repetition, dictionary: field.dictionary
            ))
        case .group(let children):
            for child in children { flatten(child, path: path, definition: definition, repetition: repetition, into: &columns) }
        case .list(let element):
            // The repeated middle group adds one level of each.
            flatten(element, path: path + ["list"], definition: definition + 1, repetition: repetition + 1, into: &columns)
        }
    }

    // MARK: - Footer

    /// Writes the `SchemaElement` list: the root, then every field depth first.
    func writeElements(_ writer: inout ThriftCompactWriter, field id: Int16) {
        var elements: [(inout ThriftCompactWriter) -> Void] = []
        elements.append { root in
            root.string(4, "schema")
            root.i32(5, Int32(fields.count))
        }
        for field in fields { Self.elements(of: field, into: &elements) }
        writer.list(id, of: elements) { writer, element in element(&writer) }
    }

    private static func elements(of field: ParquetField, into elements: inout [(inout ThriftCompactWriter) -> Void]) {
        switch field.kind {
        case .primitive(let physical, let logical):
            elements.append { element in
                element.i32(1, physical.rawValue)
                element.i32(3, field.repetition.rawValue)
                element.string(4, field.name)
                if let logical {
                    element.i32(6, logical.convertedType)
                    if case .decimal(let precision, let scale) = logical {
                        element.i32(7, scale)
                        element.i32(8, precision)
                    }
                    element.structure(10) { logical.write(&$0) }
                }
            }
        case .group(let children):
            elements.append { element in
                element.i32(3, field.repetition.rawValue)
                element.string(4, field.name)
                element.i32(5, Int32(children.count))
            }
            for child in children { Self.elements(of: child, into: &elements) }
        case .list(let element):
            elements.append { list in
                list.i32(3, field.repetition.rawValue)
                list.string(4, field.name)
                list.i32(5, 1)
                list.i32(6, 3)  // ConvertedType LIST
                list.structure(10) { $0.empty(3) }  // LogicalType LIST
            }
            elements.append { repeated in
                repeated.i32(3, ParquetRepetition.repeated.rawValue)
                repeated.string(4, "list")
                repeated.i32(5, 1)
            }
            Self.elements(of: element, into: &elements)
        }
    }
}

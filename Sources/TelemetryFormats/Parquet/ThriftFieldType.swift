/// Thrift compact protocol type ids, for the reader and the writer.
enum ThriftFieldType: UInt8 {
    case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
    case binary = 8, list = 9, set = 10, map = 11, structure = 12, uuid = 13

    var name: String {
        switch self {
        case .boolTrue, .boolFalse: "bool"
        case .byte: "byte"
        case .i16: "i16"
        case .i32: "i32"
        case .i64: "i64"
        case .double: "double"
        case .binary: "binary"
        case .list: "list"
        case .set: "set"
        case .map: "map"
        case .structure: "struct"
        case .uuid: "uuid"
        }
    }
}

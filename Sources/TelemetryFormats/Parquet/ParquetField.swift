/// One field of a Parquet schema: a value, a group of fields, or a list (written as the standard
/// three-level `LIST`: `<field> (LIST) { repeated group list { <element> } }`).
public struct ParquetField: Sendable {
    public indirect enum Kind: Sendable {
        case primitive(ParquetPhysicalType, ParquetLogicalType?)
        case group([ParquetField])
        case list(element: ParquetField)
    }

    public var name: String
    public var repetition: ParquetRepetition
    public var kind: Kind
    /// Dictionary-encode this column (with a fallback to PLAIN when it grows too large).
    public var dictionary: Bool

    public init(_ name: String, _ repetition: ParquetRepetition, _ kind: Kind, dictionary: Bool = false) {
        self.name = name
        self.repetition = repetition
        self.kind = kind
        self.dictionary = dictionary
    }

    // MARK: - Shorthands

    public static func string(_ name: String, _ repetition: ParquetRepetition = .optional, dictionary: Bool = false) -> ParquetField {
        ParquetField(name, repetition, .primitive(.byteArray, .string), dictionary: dictionary)
    }

    public static func int32(_ name: String, _ repetition: ParquetRepetition = .optional, _ logical: ParquetLogicalType? = nil, dictionary: Bool = false) -> ParquetField {
        ParquetField(name, repetition, .primitive(.int32, logical), dictionary: dictionary)
    }

    public static func int64(_ name: String, _ repetition: ParquetRepetition = .optional, _ logical: ParquetLogicalType? = nil, dictionary: Bool = false) -> ParquetField {
        ParquetField(name, repetition, .primitive(.int64, logical), dictionary: dictionary)
    }

    public static func double(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        ParquetField(name, repetition, .primitive(.double, nil))
    }

    public static func boolean(_ name: String, _ repetition: ParquetRepetition = .optional) -> ParquetField {
        ParquetField(name, repetition, .primitive(.boolean, nil))
    }

    public static func group(_ name: String, _ repetition: ParquetRepetition = .optional, _ fields: [ParquetField]) -> ParquetField {
        ParquetField(name, repetition, .group(fields))
    }

    /// A list of strings (`list<string not null>`).
    public static func stringList(_ name: String, _ repetition: ParquetRepetition = .optional, dictionary: Bool = true) -> ParquetField {
        ParquetField(name, repetition, .list(element: .string("element", .required, dictionary: dictionary)))
    }
}

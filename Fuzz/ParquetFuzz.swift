import TelemetryModel

// MARK: - libFuzzer entry point

/// Fuzzes the Parquet reader (``ParquetFileReader``, with its Thrift compact reader, page
/// decoders and decompressors) and, through it, the writer. An input starting with `PAR1` is read
/// as a file; any other input is a recipe for a file that the writer makes and the reader reads
/// back. Properties, beyond "never traps":
///
/// Reading any bytes:
/// 1. Opening the file and reading each column gives either a typed ``ParquetReadError`` with a
///    message, or exactly one value per row of the file.
/// 2. A column read whole equals the same column read one row group at a time, concatenated; and
///    a row group that fails to read alone makes the whole read fail too.
/// 3. A value limit below the rows of a column refuses it as `too_large`, whatever else is wrong.
///
/// Writing then reading (the recipe picks the codec, row group and page sizes, one to six columns
/// of every type, required or optional, dictionary or PLAIN, and the values, nulls included):
/// 4. The file opens, with the rows, row groups, column paths and types written.
/// 5. Every value reads back exactly (doubles bit for bit, byte arrays byte for byte), whole and
///    by row group.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    if input.starts(with: "PAR1".utf8) {
        _ = ParquetReadProperties.check(input)
    } else {
        ParquetRoundTrip.check(input)
    }
    return 0
}

enum ParquetReadProperties {
    /// Checks properties 1-3 on `bytes`; returns the file and its columns when all of it reads.
    static func check(_ bytes: [UInt8]) -> (file: ParquetFileReader, columns: [ParquetColumnValues])? {
        let file: ParquetFileReader
        do {
            file = try ParquetFileReader(bytes: bytes)
        } catch {
            FuzzCheck.require(!error.message.isEmpty, "an error with no message: \(error.code)")
            return nil
        }
        var columns: [ParquetColumnValues] = []
        var whole = true
        // The same file under a value limit one below its rows (the footer is read once more).
        let limited = file.rowCount > 0 ? try? ParquetFileReader(bytes: bytes, valueLimit: Int(min(file.rowCount - 1, Int64(Int32.max)))) : nil
        for index in file.columns.indices {
            let result = read(file, index, rowGroup: nil)
            checkGroups(file, index, result)
            if let limited { checkLimit(limited, index, rows: file.rowCount) }
            switch result {
            case .success(let values): columns.append(values)
            case .failure: whole = false
            }
        }
        return whole ? (file, columns) : nil
    }

    static func read(_ file: ParquetFileReader, _ index: Int, rowGroup: Int?) -> Result<ParquetColumnValues, ParquetReadError> {
        do {
            let values = try file.readColumn(at: index, rowGroup: rowGroup)
            let rows = rowGroup.map { file.metadata.rowGroups[$0].numRows } ?? file.rowCount
            FuzzCheck.require(Int64(values.count) == rows, "column \(index), row group \(String(describing: rowGroup)): \(values.count) values for \(rows) rows")
            return .success(values)
        } catch {
            FuzzCheck.require(!error.message.isEmpty, "an error with no message: \(error.code)")
            return .failure(error)
        }
    }

    /// Property 2.
    private static func checkGroups(_ file: ParquetFileReader, _ index: Int, _ whole: Result<ParquetColumnValues, ParquetReadError>) {
        var parts: [ParquetColumnValues] = []
        for group in file.metadata.rowGroups.indices {
            switch read(file, index, rowGroup: group) {
            case .success(let values):
                parts.append(values)
            case .failure(let error):
                if case .success = whole { FuzzCheck.fail("column \(index) reads whole, but row group \(group) alone fails: \(error)") }
                return
            }
        }
        guard case .success(let values) = whole else {
            // Every group read alone, so only the whole read's own check can have failed: the
            // value limit, which counts all the rows at once.
            if case .failure(let error) = whole {
                FuzzCheck.require(error.code == .tooLarge, "every row group of column \(index) reads, the whole column fails: \(error)")
            }
            return
        }
        FuzzCheck.require(ParquetValues.same(values, ParquetValues.concatenate(parts, like: values)), "column \(index) read whole differs from its row groups read one by one")
    }

    /// Property 3.
    private static func checkLimit(_ limited: ParquetFileReader, _ index: Int, rows: Int64) {
        guard limited.columns[index].maxRepetition == 0 else { return }
        do {
            _ = try limited.readColumn(at: index)
            FuzzCheck.fail("column \(index) of \(rows) rows read under a limit of \(limited.valueLimit) values")
        } catch {
            FuzzCheck.require(error.code == .tooLarge, "over the value limit gave \(error.code), not too_large: \(error)")
        }
    }
}

/// Value comparisons that treat doubles by their bits (NaN equals itself).
enum ParquetValues {
    static func same(_ a: ParquetColumnValues, _ b: ParquetColumnValues) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0?.bitPattern == $1?.bitPattern }
        default:
            a == b
        }
    }

    static func concatenate(_ parts: [ParquetColumnValues], like model: ParquetColumnValues) -> ParquetColumnValues {
        switch model {
        case .boolean: .boolean(parts.flatMap { part -> [Bool?] in if case .boolean(let v) = part { return v }; return [] })
        case .int32: .int32(parts.flatMap { part -> [Int32?] in if case .int32(let v) = part { return v }; return [] })
        case .int64: .int64(parts.flatMap { part -> [Int64?] in if case .int64(let v) = part { return v }; return [] })
        case .double: .double(parts.flatMap { part -> [Double?] in if case .double(let v) = part { return v }; return [] })
        case .byteArray: .byteArray(parts.flatMap { part -> [[UInt8]?] in if case .byteArray(let v) = part { return v }; return [] })
        }
    }
}

/// Properties 4 and 5: a file written from a recipe reads back as written.
enum ParquetRoundTrip {
    /// Reads the recipe byte by byte; zeros once it runs out.
    struct Recipe {
        let bytes: [UInt8]
        var at = 0
        var remaining: Int { bytes.count - at }
        mutating func byte() -> UInt8 {
            defer { at += 1 }
            return at < bytes.count ? bytes[at] : 0
        }
        mutating func below(_ n: Int) -> Int { Int(byte()) % n }
        mutating func integer<T: FixedWidthInteger>(_: T.Type) -> T {
            // A short form most of the time, so that values repeat and dictionaries fill.
            let shape = byte()
            if shape & 3 != 0 { return T(truncatingIfNeeded: Int8(bitPattern: byte())) }
            var value: T = 0
            for _ in 0..<T.bitWidth / 8 { value = value << 8 | T(byte()) }
            return value
        }
    }

    enum Kind: CaseIterable { case int64, int32, string, double, boolean }

    struct Column {
        var kind: Kind
        var optional: Bool
        var dictionary: Bool
        var values: ParquetColumnValues
    }

    static func check(_ input: [UInt8]) {
        var recipe = Recipe(bytes: input)
        let compression = ParquetCompression.allCases[recipe.below(ParquetCompression.allCases.count)]
        let rowGroupRows = 1 + recipe.below(64)
        let pageRows = 1 + recipe.below(32)
        var columns: [Column] = (0...recipe.below(6)).map { _ in
            let shape = recipe.byte()
            let kind = Kind.allCases[Int(shape) % Kind.allCases.count]
            let empty: ParquetColumnValues =
                switch kind {
                case .int64: .int64([])
                case .int32: .int32([])
                case .string: .byteArray([])
                case .double: .double([])
                case .boolean: .boolean([])
                }
            return Column(kind: kind, optional: shape & 0x10 != 0, dictionary: shape & 0x20 != 0 && kind != .double && kind != .boolean, values: empty)
        }
        let fields: [ParquetField] = columns.enumerated().map { index, column in
            let name = "c\(index)"
            let repetition: ParquetRepetition = column.optional ? .optional : .required
            return switch column.kind {
            case .int64: .int64(name, repetition, dictionary: column.dictionary)
            case .int32: .int32(name, repetition, dictionary: column.dictionary)
            case .string: .string(name, repetition, dictionary: column.dictionary)
            case .double: .double(name, repetition)
            case .boolean: .boolean(name, repetition)
            }
        }
        let writer = ParquetFileWriter(
            schema: ParquetSchema(fields),
            options: ParquetWriterOptions(compression: compression, rowGroupRows: rowGroupRows, pageRows: pageRows, parallelism: 1)
        )
        var out = WriteBuffer()
        writer.start(into: &out)
        var rows = 0
        while recipe.remaining > 0, rows < 2_000 {
            for index in columns.indices {
                append(&columns[index], writer.columns[index], &recipe)
            }
            writer.endRows(1, into: &out)
            rows += 1
        }
        writer.finish(into: &out)
        let bytes = out.bytes

        // Property 4.
        guard let (file, read) = ParquetReadProperties.check(bytes) else {
            let error = ParquetReadProperties.firstError(bytes)
            FuzzCheck.fail("a file of our writer (\(compression), \(rows) rows) does not read back: \(error)")
        }
        FuzzCheck.require(file.rowCount == Int64(rows), "\(rows) rows written, \(file.rowCount) in the file")
        let groups = rows == 0 ? 0 : (rows + rowGroupRows - 1) / rowGroupRows
        FuzzCheck.require(file.rowGroupCount == groups, "\(rows) rows in groups of \(rowGroupRows): \(file.rowGroupCount) row groups, not \(groups)")
        FuzzCheck.require(file.columns.map(\.dottedPath) == columns.indices.map { "c\($0)" }, "column paths \(file.columns.map(\.dottedPath))")
        FuzzCheck.require(
            file.columns.map(\.maxDefinition) == columns.map { $0.optional ? 1 : 0 }, "definition levels \(file.columns.map(\.maxDefinition))")
        // Property 5.
        for (index, column) in columns.enumerated() {
            FuzzCheck.require(
                ParquetValues.same(read[index], column.values),
                "column c\(index) (\(column.kind), optional \(column.optional), dictionary \(column.dictionary), \(compression)) reads back differently")
        }
    }

    /// One value (or a null) of `column`, from the recipe.
    static func append(_ column: inout Column, _ writer: ParquetColumnWriter, _ recipe: inout Recipe) {
        if column.optional, recipe.byte() & 7 == 0 {
            writer.appendNull()
            switch column.values {
            case .int64(var v): v.append(nil); column.values = .int64(v)
            case .int32(var v): v.append(nil); column.values = .int32(v)
            case .double(var v): v.append(nil); column.values = .double(v)
            case .boolean(var v): v.append(nil); column.values = .boolean(v)
            case .byteArray(var v): v.append(nil); column.values = .byteArray(v)
            }
            return
        }
        switch column.values {
        case .int64(var v):
            let value = recipe.integer(Int64.self)
            writer.append(value)
            v.append(value)
            column.values = .int64(v)
        case .int32(var v):
            let value = recipe.integer(Int32.self)
            writer.append(value)
            v.append(value)
            column.values = .int32(v)
        case .double(var v):
            let value = Double(bitPattern: UInt64(bitPattern: recipe.integer(Int64.self)))
            writer.append(value)
            v.append(value)
            column.values = .double(v)
        case .boolean(var v):
            let value = recipe.byte() & 1 == 1
            writer.append(value)
            v.append(value)
            column.values = .boolean(v)
        case .byteArray(var v):
            let length = recipe.below(9)
            let value = (0..<length).map { _ in recipe.byte() }
            value.withUnsafeBytes { raw in writer.batch { $0.append(bytes: raw) } }
            v.append(value)
            column.values = .byteArray(v)
        }
    }
}

extension ParquetReadProperties {
    /// The first error reading `bytes` gives, for a message.
    static func firstError(_ bytes: [UInt8]) -> String {
        do {
            let file = try ParquetFileReader(bytes: bytes)
            for index in file.columns.indices { _ = try file.readColumn(at: index) }
            for index in file.columns.indices {
                for group in file.metadata.rowGroups.indices { _ = try file.readColumn(at: index, rowGroup: group) }
            }
            return "no error on a second read"
        } catch {
            return "\(error.code): \(error)"
        }
    }
}

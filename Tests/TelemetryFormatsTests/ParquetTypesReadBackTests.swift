import Foundation
import TelemetryModel
import Testing
import TelemetryFormats
import TestSupport

/// Every physical type the writer has, read back by pyarrow (installed by `make test`): the
/// datasets use INT32, INT64 and BYTE_ARRAY; BOOLEAN and DOUBLE are checked here.
@Suite("Parquet physical types read back by pyarrow")
struct ParquetTypesReadBackTests {
    @Test("BOOLEAN, DOUBLE, INT32, INT64 and STRING columns, with nulls, over two row groups and every codec",
          arguments: ParquetCompression.allCases)
    func everyTypeReadsBack(compression: ParquetCompression) throws {
        let schema = ParquetSchema([
            .boolean("up"), .double("bandwidth_mbps"), .int32("errors"), .int64("bytes"), .string("name", .required, dictionary: true),
        ])
        let writer = ParquetFileWriter(schema: schema, options: ParquetWriterOptions(compression: compression, rowGroupRows: 600, pageRows: 250))
        let rows = 1_000
        var out = WriteBuffer()
        for i in 0..<rows {
            let columns = writer.columns
            if i % 7 == 0 { columns[0].appendNull() } else { columns[0].append(i % 3 == 0) }
            if i % 11 == 0 { columns[1].appendNull() } else { columns[1].append(Double(i) * 1.25 - 100) }
            columns[2].append(Int32(i % 500) - 250)
            if i % 13 == 0 { columns[3].appendNull() } else { columns[3].append(Int64(i) * 10_000_000_000) }
            columns[4].append("sw\(i % 17)")
            writer.endRows(1, into: &out)
        }
        writer.finish(into: &out)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("netchaos-types-\(UUID().uuidString).parquet")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data(out.bytes).write(to: path)

        let script = """
        import json, sys, pyarrow.parquet as pq
        f = pq.ParquetFile(sys.argv[1])
        t = f.read()
        print(json.dumps({"types": [str(t.schema.field(i).type) for i in range(len(t.schema))],
                          "groups": f.metadata.num_row_groups,
                          "codec": f.metadata.row_group(0).column(0).compression,
                          "rows": t.to_pylist()}))
        """
        let run = try ChildProcess.run("/usr/bin/env", ["python3", "-c", script, path.path])
        #expect(run.status == 0, "pyarrow could not read the file: \(String(decoding: run.error, as: UTF8.self))")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(run.output)) as? [String: Any])
        #expect(decoded["types"] as? [String] == ["bool", "double", "int32", "int64", "string"])
        #expect(decoded["groups"] as? Int == 2)
        let codec = decoded["codec"] as? String
        // pyarrow names LZ4_RAW (the footer's codec 7) "LZ4".
        #expect(codec == (compression == .none ? "UNCOMPRESSED" : compression == .lz4Raw ? "LZ4" : compression.rawValue.uppercased()))
        let read = try #require(decoded["rows"] as? [[String: Any]])
        #expect(read.count == rows)
        for (i, row) in read.enumerated() {
            if i % 7 == 0 { #expect(row["up"] is NSNull) } else { #expect(row["up"] as? Bool == (i % 3 == 0)) }
            if i % 11 == 0 { #expect(row["bandwidth_mbps"] is NSNull) } else { #expect(row["bandwidth_mbps"] as? Double == Double(i) * 1.25 - 100) }
            #expect(row["errors"] as? Int == i % 500 - 250)
            if i % 13 == 0 { #expect(row["bytes"] is NSNull) } else { #expect((row["bytes"] as? NSNumber)?.int64Value == Int64(i) * 10_000_000_000) }
            #expect(row["name"] as? String == "sw\(i % 17)")
        }
    }
}

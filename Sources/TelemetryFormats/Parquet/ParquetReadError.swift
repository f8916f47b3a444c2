/// Why a Parquet file could not be read: a stable code and a message naming the offending part
/// (the footer, a column, a row group, a page and its byte offset) and the value found.
public struct ParquetReadError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Too short, or `PAR1` missing at the start or the end.
        case notParquet = "not_parquet"
        /// The footer's length does not fit in the file.
        case badFooter = "bad_footer"
        /// The Thrift metadata (footer or a page header) is cut short or holds impossible values.
        case badMetadata = "bad_metadata"
        /// An offset or a size points outside the file or outside its column chunk.
        case outOfBounds = "out_of_bounds"
        /// A page's contents do not add up to what its header says.
        case badPage = "bad_page"
        /// A compressed page does not decompress to its stated size.
        case decompression
        /// A codec, encoding, physical type or nesting this reader does not read.
        case unsupported
        /// No leaf column at the path asked for.
        case noSuchColumn = "no_such_column"
        /// More values than ``ParquetFileReader/valueLimit`` allows.
        case tooLarge = "too_large"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

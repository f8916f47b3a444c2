import Foundation

/// The two spellings of the signing time: `20130524T000000Z` (`x-amz-date`) and `20130524`
/// (the credential scope), always UTC.
public struct SigV4Timestamp: Sendable, Hashable {
    /// `YYYYMMDD'T'HHMMSS'Z'`
    public let amzDate: String
    /// `YYYYMMDD`
    public var dateStamp: String { String(amzDate.prefix(8)) }

    public init(_ date: Date) {
        let t = UTCDateTime(unixSeconds: Int64(date.timeIntervalSince1970.rounded(.down)))
        func two(_ value: Int64) -> String { UTCDateTime.padded(value, 2) }
        amzDate = UTCDateTime.padded(t.year, 4) + two(t.month) + two(t.day) + "T" + two(t.hour) + two(t.minute) + two(t.second) + "Z"
    }

    /// Parses `YYYYMMDD'T'HHMMSS'Z'`; nil for anything else.
    public init?(amzDate: String) {
        let bytes = Array(amzDate.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
              bytes.enumerated().allSatisfy({ $0.offset == 8 || $0.offset == 15 || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0.element) })
        else { return nil }
        self.amzDate = amzDate
    }
}

import CDeflate
import Crypto
import Foundation

/// The integrity check a single PUT carries, which the store verifies before it keeps the
/// object. CRC32 (`x-amz-checksum-crc32`, what AWS's SDKs send by default since 2025) costs a
/// fraction of MD5; `Content-MD5` suits stores that predate the newer checksums. Parts of a
/// multipart upload always carry `Content-MD5`.
public enum S3Checksum: String, Sendable, Hashable, CaseIterable {
    case crc32
    case md5

    public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// The headers for `body`: the checksum, and for CRC32 the algorithm's name as AWS's SDKs
    /// send it (`x-amz-sdk-checksum-algorithm`).
    func headers(for body: ArraySlice<UInt8>) -> [(name: String, value: String)] {
        let checksum = header(for: body)
        return self == .crc32 ? [(name: "x-amz-sdk-checksum-algorithm", value: "CRC32"), checksum] : [checksum]
    }

    /// The checksum header and its value for `body`.
    func header(for body: ArraySlice<UInt8>) -> (name: String, value: String) {
        switch self {
        case .crc32:
            let crc = body.withUnsafeBytes { UInt32(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
            let bigEndian = [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
            return (name: "x-amz-checksum-crc32", value: Data(bigEndian).base64EncodedString())
        case .md5:
            return (name: "content-md5", value: Data(Insecure.MD5.hash(data: body)).base64EncodedString())
        }
    }
}

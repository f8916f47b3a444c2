import Foundation
import Crypto

/// What the signature says about the body: its SHA-256 (the server recomputes and compares it)
/// or `UNSIGNED-PAYLOAD` (S3 only; the body is then not covered).
public enum SigV4Payload: Sendable, Hashable {
    /// The lower-case hex SHA-256 of the body.
    case sha256Hex(String)
    /// `UNSIGNED-PAYLOAD`
    case unsigned

    /// The hash of an empty body (`e3b0c442...b855`).
    public static let empty = SigV4Payload.sha256Hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// The SHA-256 of `body`.
    public static func hashing(_ body: some DataProtocol) -> SigV4Payload {
        .sha256Hex(HexEncoding.hex(SHA256.hash(data: body)))
    }

    /// The text that goes into the canonical request and `x-amz-content-sha256`.
    public var value: String {
        switch self {
        case .sha256Hex(let hex): return hex
        case .unsigned: return "UNSIGNED-PAYLOAD"
        }
    }
}

import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension S3ObjectStore {
    // MARK: - Sending

    /// Addresses, signs and sends `call`; answers with any HTTP status (the caller decides what
    /// is success) and throws only when no answer came.
    func send(_ call: S3Call, operation: String) async throws(ObjectStoreError) -> S3Response {
        let (authority, path) = address(key: call.key)
        var headers: [(name: String, value: String)] = [(name: "host", value: authority)]
        headers += call.headers.map { (name: $0.0, value: $0.1) }
        let body = call.body ?? []
        if let checksum = call.checksum { headers += checksum.headers(for: body) }
        let unsigned = SigV4Request(
            method: call.method.rawValue, path: path, query: call.query.map { (name: $0.0, value: $0.1) },
            headers: headers, payload: body.isEmpty ? .empty : .hashing(body)
        )
        let signed = signer.sign(unsigned, date: Date())

        var request = HTTPClientRequest(url: "\(endpoint.scheme)://\(authority)\(signed.target)")
        request.method = call.method
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        if call.body != nil || call.method == .PUT || call.method == .POST {
            request.body = .bytes(ByteBuffer(bytes: body))
        }

        let timeout = TimeAmount.nanoseconds(Int64(configuration.requestTimeout * 1_000_000_000))
        do {
            let response = try await client.execute(request, timeout: timeout, logger: logger)
            let bytes = call.method == .HEAD ? [] : Array(buffer: try await response.body.collect(upTo: Int.max))
            logger.debug(
                "s3 request",
                metadata: ["s3.method": "\(call.method.rawValue)", "s3.target": "\(signed.target)", "s3.status": "\(response.status.code)"]
            )
            return S3Response(status: Int(response.status.code), headers: response.headers, body: bytes)
        } catch {
            throw transportError(error, operation: operation)
        }
    }

    // MARK: - Errors

    /// The error for a non-2xx answer, from its `<Error>` document where it has one.
    func error(for response: S3Response, operation: String) -> ObjectStoreError {
        let status = response.status
        let document = S3ErrorDocument(parsing: response.body)
        let code = document?.code ?? ""
        var message: String
        if let document {
            message = document.message.isEmpty ? document.code : "\(document.code): \(document.message)"
        } else {
            let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
            message = "HTTP \(status) \(reason)" + (response.body.isEmpty ? " (no error document)" : ": \(Self.excerpt(response.body))")
        }
        if let requestID = document?.requestID ?? response.headers.first(name: "x-amz-request-id"), !requestID.isEmpty {
            message += " [request id \(requestID)]"
        }

        if let region = response.headers.first(name: "x-amz-bucket-region"), !region.isEmpty, region != configuration.region,
           status == 301 || status == 400 || status == 403 || status == 307
        {
            return ObjectStoreError(
                .invalidConfiguration, operation: operation,
                message: "\(message); the bucket is in region \(region): set s3.region (AWS_REGION) to \(region)",
                status: status, isRetriable: false
            )
        }
        switch code {
        case "NoSuchBucket":
            return ObjectStoreError(.noSuchBucket, operation: operation, message: message, status: status)
        case "NoSuchKey", "NoSuchUpload":
            return ObjectStoreError(.notFound, operation: operation, message: message, status: status)
        case "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "ExpiredToken", "InvalidToken", "TokenRefreshRequired",
             "AllAccessDisabled", "AccountProblem", "InvalidSecurity", "RequestTimeTooSkewed", "InvalidClientTokenId":
            return ObjectStoreError(.accessDenied, operation: operation, message: message, status: status)
        case "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "OperationAborted", "Throttling", "ThrottlingException":
            return ObjectStoreError(.server, operation: operation, message: message, status: status, isRetriable: true)
        default:
            break
        }
        switch status {
        case 401, 403:
            return ObjectStoreError(.accessDenied, operation: operation, message: message, status: status)
        case 404:
            return ObjectStoreError(.notFound, operation: operation, message: message, status: status)
        case 408, 429, 500...599:
            return ObjectStoreError(.server, operation: operation, message: message, status: status, isRetriable: true)
        default:
            return ObjectStoreError(.server, operation: operation, message: message, status: status, isRetriable: false)
        }
    }

    /// The error for a request that got no answer.
    func transportError(_ error: any Error, operation: String) -> ObjectStoreError {
        if let error = error as? ObjectStoreError { return error }
        let seconds = configuration.requestTimeout.compactSeconds
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return ObjectStoreError(.timeout, operation: operation, message: "no complete answer from \(endpoint) within \(seconds) (s3.request_timeout): \(error)")
            case .connectTimeout:
                return ObjectStoreError(.unreachable, operation: operation, message: "connecting to \(endpoint) timed out")
            case .cancelled:
                return ObjectStoreError(.unreachable, operation: operation, message: "the request to \(endpoint) was cancelled")
            default:
                break
            }
        }
        if error is CancellationError {
            return ObjectStoreError(.unreachable, operation: operation, message: "the request to \(endpoint) was cancelled")
        }
        return ObjectStoreError(.unreachable, operation: operation, message: "cannot reach \(endpoint): \(error)")
    }
}

extension Double {
    /// `30s`, `1.5s`, `500ms` for messages.
    var compactSeconds: String {
        self < 1 ? "\(Int((self * 1000).rounded()))ms" : self == rounded() && self < 1e9 ? "\(Int(self))s" : "\(self)s"
    }
}

import FailPoints
import Logging
import NIOHTTP1

extension S3ObjectStore {
    /// Parts uploading at once in one multipart upload.
    static let partConcurrency = 4

    /// The part size for `count` bytes: the configured one, raised when S3's 10000-part limit
    /// needs it (rounded up to a whole MiB).
    func partSize(for count: Int) -> Int {
        let needed = (count + S3Configuration.maximumPartCount - 1) / S3Configuration.maximumPartCount
        let mebibyte = 1 << 20
        return max(configuration.partSize, (needed + mebibyte - 1) / mebibyte * mebibyte)
    }

    /// CreateMultipartUpload, UploadPart for each `partSize` piece, CompleteMultipartUpload;
    /// AbortMultipartUpload when anything fails after the upload was created.
    func putMultipart(key: String, objectKey: String, body: [UInt8], contentType: String) async throws(ObjectStoreError) -> StoredObject {
        let operation = "PUT \(url(objectKey)) (multipart)"
        let created = try await send(
            S3Call(method: .POST, key: objectKey, query: [("uploads", "")], headers: [("content-type", Self.contentType(contentType))]),
            operation: operation
        )
        guard (200...299).contains(created.status) else { throw error(for: created, operation: operation) }
        guard let uploadID = S3XMLParser.parse(created.body)?.value("UploadId"), !uploadID.isEmpty else {
            throw ObjectStoreError(.server, operation: operation, message: "no UploadId in the answer: \(Self.excerpt(created.body))", status: created.status)
        }

        do {
            let size = partSize(for: body.count)
            let ranges = stride(from: 0, to: body.count, by: size).map { $0..<min($0 + size, body.count) }
            let etags = try await uploadParts(objectKey: objectKey, uploadID: uploadID, body: body, ranges: ranges, operation: operation)
            FailPoints.reach(.sinkMidMultipart)
            let etag = try await completeMultipart(objectKey: objectKey, uploadID: uploadID, etags: etags, operation: operation)
            logger.debug("multipart upload", metadata: ["s3.key": "\(objectKey)", "s3.parts": "\(ranges.count)", "s3.bytes": "\(body.count)"])
            return StoredObject(key: key, size: body.count, etag: etag)
        } catch {
            await abortMultipart(objectKey: objectKey, uploadID: uploadID, operation: operation)
            throw error
        }
    }

    /// Uploads every range as parts 1...n, `partConcurrency` at a time; the entity tags in part order.
    private func uploadParts(
        objectKey: String, uploadID: String, body: [UInt8], ranges: [Range<Int>], operation: String
    ) async throws(ObjectStoreError) -> [String] {
        var etags = [String](repeating: "", count: ranges.count)
        do {
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                var next = 0
                func start() {
                    let index = next
                    next += 1
                    group.addTask {
                        let call = S3Call(
                            method: .PUT, key: objectKey, query: [("partNumber", String(index + 1)), ("uploadId", uploadID)],
                            body: body[ranges[index]], checksum: .md5
                        )
                        let partOperation = "\(operation) part \(index + 1)/\(ranges.count)"
                        let response = try await self.send(call, operation: partOperation)
                        guard (200...299).contains(response.status) else { throw self.error(for: response, operation: partOperation) }
                        guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
                            throw ObjectStoreError(.server, operation: partOperation, message: "the part's answer has no ETag", status: response.status)
                        }
                        return (index, etag)
                    }
                }
                while next < min(Self.partConcurrency, ranges.count) { start() }
                while let (index, etag) = try await group.next() {
                    etags[index] = etag
                    if next < ranges.count { start() }
                }
            }
        } catch let error as ObjectStoreError {
            throw error
        } catch {
            throw transportError(error, operation: operation)
        }
        return etags
    }

    /// CompleteMultipartUpload; the object's entity tag. S3 may answer 200 with an `<Error>`
    /// document, which counts as a failure.
    private func completeMultipart(objectKey: String, uploadID: String, etags: [String], operation: String) async throws(ObjectStoreError) -> String? {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(S3XMLElement.escape(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let response = try await send(
            S3Call(method: .POST, key: objectKey, query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")], body: Array(xml.utf8)[...]),
            operation: operation
        )
        guard (200...299).contains(response.status), S3ErrorDocument(parsing: response.body) == nil else {
            throw error(for: response, operation: operation)
        }
        return S3XMLParser.parse(response.body)?.value("ETag").map(S3ListPage.unquotedETag)
    }

    /// AbortMultipartUpload, best effort: a failure is logged, the original error is what counts.
    private func abortMultipart(objectKey: String, uploadID: String, operation: String) async {
        do {
            let response = try await send(S3Call(method: .DELETE, key: objectKey, query: [("uploadId", uploadID)]), operation: operation)
            if !(200...299).contains(response.status) {
                logger.warning("abort multipart upload", metadata: ["s3.key": "\(objectKey)", "s3.status": "\(response.status)"])
            }
        } catch {
            logger.warning("abort multipart upload", metadata: ["s3.key": "\(objectKey)", "error": "\(error)"])
        }
    }
}

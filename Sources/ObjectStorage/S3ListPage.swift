import Foundation

/// One page of a ListObjectsV2 answer.
struct S3ListPage: Sendable, Hashable {
    var objects: [StoredObject]
    var isTruncated: Bool
    var nextContinuationToken: String?

    /// Nil when `body` is not a `<ListBucketResult>` document.
    init?(parsing body: some Collection<UInt8>) {
        guard let root = S3XMLParser.parse(body), root.name == "ListBucketResult" else { return nil }
        var objects: [StoredObject] = []
        for content in root.children(named: "Contents") {
            guard let key = content.value("Key") else { return nil }
            let size = content.value("Size").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            objects.append(StoredObject(key: key, size: size, etag: content.value("ETag").map(S3ListPage.unquotedETag)))
        }
        self.objects = objects
        self.isTruncated = root.value("IsTruncated")?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
        self.nextContinuationToken = root.value("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `"abc"` -> `abc` (S3 quotes entity tags; XML may carry them as `&quot;`).
    static func unquotedETag(_ text: String) -> String {
        var tag = Substring(text.trimmingCharacters(in: .whitespaces))
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") { tag = tag.dropFirst().dropLast() }
        return String(tag)
    }
}

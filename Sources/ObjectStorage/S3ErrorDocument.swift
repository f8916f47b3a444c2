/// S3's `<Error><Code>NoSuchKey</Code><Message>...</Message>...</Error>` answer.
struct S3ErrorDocument: Sendable, Hashable {
    var code: String
    var message: String
    var requestID: String?

    /// Nil when `body` is not an `<Error>` document.
    init?(parsing body: some Collection<UInt8>) {
        guard !body.isEmpty, let root = S3XMLParser.parse(body), root.name == "Error", let code = root.value("Code") else {
            return nil
        }
        self.code = code
        self.message = root.value("Message") ?? ""
        self.requestID = root.value("RequestId")
    }

    init(code: String, message: String, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }
}

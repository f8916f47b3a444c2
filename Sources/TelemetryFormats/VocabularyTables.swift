import TelemetryModel

/// The vocabulary's strings laid out for one output format: every host's name, and the tags of
/// every identity (one entry more for hosts outside every VPC), already escaped.
///
/// Sendable: immutable after `init`: all stored properties are `let`; the `tagOfHost` and `inside` buffers
/// are written only in `init`, and the StringTables are immutable too.
final class VocabularyTables: @unchecked Sendable {
    let names: StringTable
    let tags: StringTable
    /// Per host: its entry in `tags`.
    private let tagOfHost: UnsafeMutablePointer<Int32>
    /// Per host: whether it is inside a VPC.
    private let inside: UnsafeMutablePointer<Bool>
    let hostCount: Int
    let generatorID: StringTable

    /// - Parameters:
    ///   - name: the bytes of a host name.
    ///   - tags: the bytes of an identity's tags (nil: a host outside every VPC).
    init(_ vocabulary: FlowVocabulary, name: (String) -> [UInt8], tags: (FlowVocabulary.Identity?) -> [UInt8], escape: (String) -> [UInt8]) {
        names = StringTable(vocabulary.hosts.map(\.name), escape: name)
        var entries: [[UInt8]] = vocabulary.identities.map { tags($0) }
        entries.append(tags(nil))
        self.tags = StringTable(encoded: entries)
        hostCount = vocabulary.hosts.count
        tagOfHost = .allocate(capacity: max(hostCount, 1))
        inside = .allocate(capacity: max(hostCount, 1))
        let outside = Int32(vocabulary.identities.count)
        for (i, host) in vocabulary.hosts.enumerated() {
            tagOfHost[i] = host.identity.map { Int32($0) } ?? outside
            inside[i] = host.identity != nil
        }
        generatorID = StringTable([vocabulary.generatorID], escape: escape)
    }

    deinit {
        tagOfHost.deallocate()
        inside.deallocate()
    }

    /// The most bytes the strings of one record take.
    var maxRecordBytes: Int { names.maxLength + QueryName.maxLength + 64 + tags.maxLength + generatorID.maxLength }

    /// The host whose identity a record's tags carry: the client inside a VPC, else the server.
    @inline(__always)
    func observer(_ e: FlowEvent) -> Int { inside[Int(e.srcHost)] ? Int(e.srcHost) : Int(e.dstHost) }

    @inline(__always)
    func writeName(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        if e.queryName.kind == .server {
            names.write(&p, Int(e.dstHost))
        } else {
            writeQueryName(&p, e)
        }
    }

    /// A DNS record's query name (host names are plain: no escaping to do).
    @inline(never)
    func writeQueryName(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) {
        e.queryName.write(&p, seed: e.nameSeed) { p, host in names.write(&p, Int(host)) }
    }

    @inline(__always)
    func writeTags(_ p: inout UnsafeMutablePointer<UInt8>, _ e: FlowEvent) { tags.write(&p, Int(tagOfHost[observer(e)])) }

    /// The tag fields of an identity, or of a host outside every VPC, in output order:
    /// env, region, security_group, vpc_id, account_id.
    static func tagValues(_ identity: FlowVocabulary.Identity?) -> [String] {
        guard let identity else { return ["Internet", "-", "-", "-", "-"] }
        return [identity.environment, identity.region, identity.securityGroup, identity.vpcID, identity.accountID]
    }

    static let tagKeys = FlowRecordField.tags.members().map(\.key)
}

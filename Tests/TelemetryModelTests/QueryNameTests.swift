import Foundation
import TelemetryModel
import Testing

/// DNS query names: spelled from the record's seed, within DNS's limits, each kind as it looks.
@Suite struct QueryNameTests {
    static let hosts = ["web-1.internal.prod", "cdn-sync.xyz", "dns.google"]

    static func text(_ name: QueryName, seed: UInt64, server: UInt32 = 2) -> String {
        name.text(seed: seed, server: server) { hosts[Int($0)] }
    }

    @Test func aTunnelQueryIsBase32LabelsUnderItsDomain() {
        var seen = Set<String>()
        for seed in UInt64(1)...200 {
            let labels = 20 + Int(seed % 200)
            let name = Self.text(.tunnel(domainHost: 1, labels: labels), seed: seed &* 0x9e37_79b9)
            // (A label count that would end in a dot is one shorter.)
            #expect(name.count == labels - (labels % 58 == 0 ? 1 : 0) + 1 + "cdn-sync.xyz".count)
            #expect(name.hasSuffix(".cdn-sync.xyz"))
            let data = name.dropLast(".cdn-sync.xyz".count).split(separator: ".", omittingEmptySubsequences: false)
            #expect(data.allSatisfy { !$0.isEmpty && $0.count <= 57 })
            #expect(data.joined().allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
            #expect(name.count <= QueryName.maxLength)
            seen.insert(name)
        }
        #expect(seen.count == 200)
        // The same seed spells the same name.
        #expect(Self.text(.tunnel(domainHost: 1, labels: 90), seed: 7) == Self.text(.tunnel(domainHost: 1, labels: 90), seed: 7))
    }

    @Test func lookupsKeepTheirStyle() {
        for (index, style) in QueryName.lookupStyles.enumerated() {
            for seed in UInt64(1)...50 {
                let name = Self.text(.lookup(index), seed: seed)
                #expect(name.hasPrefix(style.prefix) && name.hasSuffix(style.suffix), "\(name)")
                let middle = name.dropFirst(style.prefix.count).dropLast(style.suffix.count)
                #expect(style.characters.contains(middle.count), "\(name)")
                #expect(middle.allSatisfy { style.alphabet.contains($0) }, "\(name)")
            }
        }
    }

    @Test func hostsPopularNamesAndTheServer() {
        #expect(Self.text(.host(0), seed: 1) == "web-1.internal.prod")
        #expect(Self.text(.popular(1), seed: 1) == QueryName.popularDomains[1])
        #expect(Self.text(.server, seed: 1, server: 2) == "dns.google")
    }

    @Test func dictionaryKeysTellTheNamesApart() {
        var event = FlowEvent()
        event.dstHost = 5
        event.eventID = (0x1234, 0x5678)
        event.queryName = .server
        let server = event.queryName.dictionaryKey(event)
        let keys: [UInt64] = [server, QueryName.host(6).dictionaryKey(event), QueryName.popular(5).dictionaryKey(event),
                              QueryName.lookup(0).dictionaryKey(event)]
        #expect(Set(keys).count == keys.count)
        #expect(server == QueryName.host(5).dictionaryKey(event), "the same host is the same text")
        var other = event
        other.eventID = (0x1235, 0x5678)
        #expect(QueryName.lookup(0).dictionaryKey(event) != QueryName.lookup(0).dictionaryKey(other))
    }
}

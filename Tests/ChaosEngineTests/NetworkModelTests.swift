import ChaosEngine
import Testing
import TelemetryModel

@Suite struct NetworkModelTests {
    @Test func parsesServiceSpecs() throws {
        let service = try NetworkService(spec: "db=10.0.3.0/26+10.0.9.0/24:tcp/5432+tcp/3306<web+api*8")
        #expect(service.name == "db")
        #expect(service.networks.map(\.description) == ["10.0.3.0/26", "10.0.9.0/24"])
        #expect(service.endpoints == [ServiceEndpoint(transport: .tcp, port: 5432), ServiceEndpoint(transport: .tcp, port: 3306)])
        #expect(service.sources == ["web", "api"])
        #expect(service.weight == 8)
        #expect(try NetworkService(spec: service.spec) == service)
        #expect(try NetworkService(spec: "dns.google=8.8.8.8:udp/53").isExternal)
        #expect(try NetworkService(spec: "ping=10.0.5.0/28:icmp").endpoints == [ServiceEndpoint(transport: .icmp, port: 0)])
    }

    @Test(arguments: [
        ("web", "expected NAME=CIDR[+CIDR]:PROTO/PORT"),
        ("web=10.0.1.0/24", "expected ':'"),
        ("web=10.0.1.5/24:tcp/443", "not a CIDR"),
        ("web=10.0.1.0/24:tcp/99999", "not an endpoint"),
        ("web=10.0.1.0/24:sctp/80", "not an endpoint"),
        ("web=10.0.1.0/24:tcp/443*-1", "weight"),
        ("w b=10.0.1.0/24:tcp/443", "name"),
    ])
    func rejectsBadSpecsWithAReason(spec: String, reason: String) {
        #expect {
            try NetworkService(spec: spec)
        } throws: { error in
            let text = "\(error)"
            return text.contains(spec) && text.contains(reason)
        }
    }

    @Test func modelChecksSourcesAndNeedsAnInternalService() {
        #expect(throws: NetworkSpecError.self) {
            try NetworkModel(clientSpecs: ["10.1.0.0/16"], serviceSpecs: ["db=10.0.3.0/26:tcp/5432<nowhere"], exfiltrationSpecs: ["203.0.113.0/24"], scanSourceSpecs: ["192.168.1.99"])
        }
        #expect(throws: NetworkSpecError.self) {
            try NetworkModel(clientSpecs: ["10.1.0.0/16"], serviceSpecs: ["dns.google=8.8.8.8:udp/53"], exfiltrationSpecs: ["203.0.113.0/24"], scanSourceSpecs: ["192.168.1.99"])
        }
        #expect(NetworkModel.standard.services.count == NetworkModel.defaultServiceSpecs.count)
    }
}

@Suite struct PacingAndRandomTests {
    @Test func pacerReleasesExactlyRateTimesElapsed() {
        let pacer = RatePacer(rate: 1_000)
        #expect(pacer.due(atElapsed: -1) == 0)
        #expect(pacer.due(atElapsed: 0) == 1)
        #expect(pacer.due(atElapsed: 10) == 10_001)
        #expect(pacer.dueTime(ofRecord: 2_500) == 2.5)
        #expect(RatePacer(rate: nil).due(atElapsed: 0) == .max)
    }

    @Test func probabilityRejectsOutOfRange() {
        #expect(Probability(1.5) == nil)
        #expect(Probability(-0.1) == nil)
        #expect(Probability(.nan) == nil)
        var rng = WyRand(seed: 1)
        #expect((0..<1_000).allSatisfy { _ in rng.chance(Probability(1)!) })
        #expect((0..<1_000).allSatisfy { _ in !rng.chance(Probability(0)!) })
    }

    @Test func streamsAreReproducibleAndDistinct() {
        var a = WyRand(seed: 9, stream: 1, index: 5)
        var b = WyRand(seed: 9, stream: 1, index: 5)
        var c = WyRand(seed: 9, stream: 1, index: 6)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
    }
}

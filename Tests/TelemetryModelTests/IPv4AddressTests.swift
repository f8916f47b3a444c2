import Testing
import TelemetryModel

@Suite struct IPv4AddressTests {
    @Test(arguments: ["10.0.1.17", "0.0.0.0", "255.255.255.255", "192.168.1.99"])
    func parsesAndPrintsValidAddresses(_ text: String) throws {
        let address = try #require(IPv4Address(text))
        #expect(address.description == text)
    }

    @Test(arguments: ["10.0.300.17", "192.168.1", "not-an-ip", "256.1.1.1", "10.0.0.1.5", "", "01.2.3.4", "1..2.3", "1.2.3.4 "])
    func rejectsInvalidAddresses(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test func networkHostsStayInsideTheNetwork() throws {
        let network = try #require(IPv4Network("10.0.1.0/24"))
        #expect(network.hostCount == 254)
        #expect(network.host(0).description == "10.0.1.1")
        #expect(network.host(253).description == "10.0.1.254")
        #expect(network.contains(network.host(100)))
        let single = try #require(IPv4Network("8.8.8.8"))
        #expect(single.hostCount == 1 && single.host(0).description == "8.8.8.8")
        #expect(IPv4Network("10.0.1.5/24") == nil, "host bits set")
        #expect(IPv4Network("10.0.1.0/33") == nil)
    }
}

@Suite struct AnomalySetTests {
    @Test func primaryLabelFollowsPrecedence() {
        #expect(AnomalySet().primaryLabel == .normal)
        #expect(AnomalySet([.latencySpike, .connectionReset]).primaryLabel == .connectionReset)
        #expect(AnomalySet([.latencySpike, .exfiltration, .connectionReset]).primaryLabel == .exfiltration)
        #expect(AnomalySet([.malformed, .latencySpike]).primaryLabel == .malformed)
        #expect(AnomalySet(.portScan).labels == [.portScan])
        #expect(AnomalySet([.malformed, .latencySpike]).labels == [.latencySpike, .malformed])
    }

    @Test func namesRoundTrip() {
        for label in AnomalyLabel.allCases { #expect(AnomalyLabel(name: label.name) == label) }
        for kind in MalformedKind.allCases { #expect(MalformedKind(name: kind.name) == kind) }
        #expect(AnomalyLabel(name: "latency_spike") == .latencySpike)
    }

    @Test func eventIDTextIsCanonical() {
        var event = FlowEvent()
        event.eventID = (0x0123_4567_89ab_4def, 0x8123_4567_89ab_cdef)
        #expect(event.eventIDString == "01234567-89ab-4def-8123-456789abcdef")
    }
}

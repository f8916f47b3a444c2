import Foundation
import Testing
@testable import TelemetrySink

@Suite struct StaticMembershipTests {
    private func scratch() -> String {
        let path = NSTemporaryDirectory() + "netchaos-membership-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func twoSinksOfOneGroupAndStoreGetTwoSlotsAndOthersTheirOwnId() throws {
        let directory = scratch()
        let first = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "file:/data", directory: directory))
        let second = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "file:/data", directory: directory))
        #expect(first.instanceID.hasSuffix("-0") && second.instanceID.hasSuffix("-1"))
        #expect(first.instanceID.dropLast(2) == second.instanceID.dropLast(2))
        #expect(first.instanceID.hasPrefix("netchaos-sink-\(StaticMembership.hostName())-"))
        let otherStore = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "s3://bucket", directory: directory))
        #expect(otherStore.instanceID.hasSuffix("-0") && otherStore.instanceID != first.instanceID)
    }

    @Test func aFreedSlotIsTakenAgainWithTheSameId() throws {
        let directory = scratch()
        let first = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "file:/data", directory: directory))
        let second = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "file:/data", directory: directory))
        // The first sink goes away (a crash drops its lock the same way): the next one takes its id.
        first.release()
        let restarted = try #require(StaticMembership.claim(group: "g", topics: ["t"], store: "file:/data", directory: directory))
        #expect(restarted.instanceID == first.instanceID)
        #expect(restarted.instanceID != second.instanceID)
    }
}

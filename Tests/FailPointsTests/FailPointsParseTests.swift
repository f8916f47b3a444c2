import FailPoints
import Testing

@Suite struct FailPointsParseTests {
    @Test func pointsActionsAndHitsAreRead() throws {
        let armed = try FailPoints.parse("sink.after_upload_before_commit=crash@3, store.before_rename=crash,sink.after_commit=delay:250@2")
        #expect(armed.count == 3)
        #expect(armed[.sinkAfterUploadBeforeCommit] == FailPoints.Arm(action: .crash, fromHit: 3))
        #expect(armed[.storeBeforeRename] == FailPoints.Arm(action: .crash, fromHit: 1))
        #expect(armed[.sinkAfterCommit] == FailPoints.Arm(action: .delay(milliseconds: 250), fromHit: 2))
        #expect(try FailPoints.parse("").isEmpty)
    }

    @Test func everyPointNameIsAccepted() throws {
        let text = FailPoint.allCases.map { "\($0.rawValue)=crash" }.joined(separator: ",")
        #expect(try FailPoints.parse(text).keys.sorted { $0.rawValue < $1.rawValue } == FailPoint.allCases.sorted { $0.rawValue < $1.rawValue })
    }

    @Test func anUnknownPointIsNamedWithTheKnownOnes() {
        #expect {
            try FailPoints.parse("sink.after_uplod=crash")
        } throws: { error in
            let message = String(describing: error)
            return message.contains("unknown fail point 'sink.after_uplod'") && message.contains("sink.after_upload_before_commit")
        }
    }

    @Test(arguments: ["sink.after_commit", "sink.after_commit=explode", "sink.after_commit=crash@0", "sink.after_commit=crash@x", "sink.after_commit=delay:-5"])
    func aMisshapenEntryIsRefused(_ text: String) {
        #expect(throws: FailPoints.ParseError.self) { try FailPoints.parse(text) }
    }

    @Test func nothingIsArmedWithoutTheVariable() {
        // The test process has no NETCHAOS_FAILPOINTS: reaching a point does nothing.
        #expect(FailPoints.active == false)
        FailPoints.reach(.sinkAfterCommit)
        #expect(FailPoints.validateEnvironment() == nil)
    }
}

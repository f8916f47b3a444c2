import Foundation
import Testing

@testable import ChaosEngine

@Suite struct FastMathTests {
    /// Points spread over the range the simulation uses, and the edges of the tables' slices.
    static let exponents: [Double] = stride(from: -700.0, through: 700.0, by: 0.37).map { $0 } + [-1e-9, 0, 1e-9, 0.0054, -0.0054, 0.5, 1, 2.5]

    @Test func expIsWithinAPartInAHundredBillion() {
        for x in Self.exponents {
            let exact = Foundation.exp(x)
            #expect(abs(FastMath.exp(x) - exact) <= 1e-11 * exact, "exp(\(x))")
        }
        // Beyond the clamp it saturates instead of overflowing.
        #expect(FastMath.exp(1e6).isFinite && FastMath.exp(-1e6) > 0)
    }

    @Test func logIsWithinATrillionthAbsolute() {
        var values: [Double] = [1e-300, 2.2e-16, 1e-9, 0.001, 0.5, 0.999_999, 1, 1.000_001, 1.5, 1.996, 2, 3, 1e9, 1e300]
        var rng = WyRand(seed: 7, stream: 1, index: 0)
        for _ in 0..<20_000 { values.append(rng.unitOpen()) }
        for x in values {
            #expect(abs(FastMath.log(x) - Foundation.log(x)) <= 1e-12 * max(1, abs(Foundation.log(x))), "log(\(x))")
        }
    }

    @Test func theyInvertEachOther() {
        for x in stride(from: -50.0, through: 50.0, by: 0.013) {
            #expect(abs(FastMath.log(FastMath.exp(x)) - x) <= 1e-11 * max(1, abs(x)))
        }
    }
}

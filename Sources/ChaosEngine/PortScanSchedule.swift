import TelemetryModel

/// Places port-scan bursts in the slot sequence, deterministically from the seed, so that any
/// chunk can be generated on its own.
///
/// The sequence is cut into periods of `interval x rate` slots. Burst `k` starts at a random slot of
/// period `k` (drawn from `(seed, k)`) and puts probe `j` at `start + j x stride`, where the stride is
/// the probe spacing in slots (at least 1). A period is stretched to twice the burst length when the
/// rate is too low for the burst to fit, so bursts never overlap.
public struct PortScanSchedule: Sendable {
    public struct Burst: Sendable, Hashable {
        public var index: UInt64
        public var firstSlot: UInt64
        public var source: IPv4Address
        public var target: IPv4Address
        /// Index of the targeted service in the model.
        public var service: Int
        public var targetNumber: UInt16
        public var firstPort: UInt16
        public var sourcePort: UInt16
    }

    public let stride: UInt64
    public let length: UInt64
    public let periodSlots: Double
    private let ports: Int
    private let seed: UInt64
    private let sourceNetworks: [IPv4Network]
    private let targets: [(service: Int, network: IPv4Network)]

    public init?(configuration: PortScanConfiguration, clock: EventClock, model: NetworkModel, seed: UInt64) {
        guard configuration.enabled else { return nil }
        ports = configuration.ports
        stride = max(1, UInt64((configuration.spacingMilliseconds / 1000 * clock.eventsPerSecond).rounded()))
        length = UInt64(configuration.ports - 1) * stride + 1
        periodSlots = max(configuration.intervalSeconds * clock.eventsPerSecond, 2 * Double(length))
        self.seed = seed
        sourceNetworks = model.scanSources
        targets = model.services.enumerated().filter { !$0.element.isExternal }
            .flatMap { index, service in service.networks.map { (index, $0) } }
    }

    /// The burst of the period holding `slot` (whether or not the slot is one of its probes).
    public func burst(forSlot slot: UInt64) -> Burst {
        let k = UInt64((Double(slot) / periodSlots).rounded(.down))
        return burst(index: k)
    }

    public func burst(index k: UInt64) -> Burst {
        var rng = WyRand(seed: seed, stream: 0x5ca9, index: k)
        let periodStart = UInt64((Double(k) * periodSlots).rounded(.up))
        let periodEnd = UInt64((Double(k + 1) * periodSlots).rounded(.down))
        let room = periodEnd > periodStart + length ? periodEnd - periodStart - length : 0
        let first = periodStart + rng.below(room + 1)
        let sourceNetwork = sourceNetworks[Int(rng.below(UInt64(sourceNetworks.count)))]
        let source = sourceNetwork.host(rng.below(sourceNetwork.hostCount))
        let (service, network) = targets[Int(rng.below(UInt64(targets.count)))]
        let hostIndex = rng.below(network.hostCount)
        let maxFirstPort = UInt64(65536 - ports)
        // Scanners usually start at the bottom of the port range; sometimes they sweep a window.
        let firstPort = rng.below(4) == 0 ? 1 + rng.below(maxFirstPort) : min(UInt64(20), maxFirstPort)
        return Burst(
            index: k, firstSlot: first, source: source, target: network.host(hostIndex), service: service,
            targetNumber: UInt16(truncatingIfNeeded: hostIndex + 1), firstPort: UInt16(firstPort),
            sourcePort: UInt16(32768 + rng.below(28232))
        )
    }

    /// The probe number within `burst` that `slot` carries, or nil.
    @inline(__always)
    public func probe(_ burst: Burst, slot: UInt64) -> Int? {
        guard slot >= burst.firstSlot else { return nil }
        let offset = slot - burst.firstSlot
        guard offset < length, offset % stride == 0 else { return nil }
        return Int(offset / stride)
    }
}

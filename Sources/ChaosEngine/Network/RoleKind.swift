/// What a role's hosts are, which decides how they behave: the link they have, the operating
/// system (and so the ephemeral ports they use), when in the day they are busy as clients, how
/// long a server takes to answer, and whether they live inside a VPC.
public enum RoleKind: String, Sendable, Hashable, CaseIterable {
    case workstation, web, api, db, cache, dns, ntp, monitor
    /// An authorised vulnerability scanner inside the network (its scans are normal traffic).
    case scanner
    /// Object storage outside the network (backups and large uploads go there).
    case storage
    /// Any other service outside the network.
    case external
    /// Users on the internet: external clients.
    case internet

    /// Hosts outside every VPC (no interface, no security group of ours).
    public var isExternal: Bool { self == .storage || self == .external || self == .internet }

    /// The kind a role name suggests (`web-1` -> web; a name with a dot is an external service).
    public static func inferred(from name: String) -> RoleKind {
        let lower = name.lowercased()
        if lower.contains(".") { return lower.hasPrefix("s3") || lower.contains("storage") || lower.contains("blob") ? .storage : .external }
        for kind in RoleKind.allCases where lower == kind.rawValue || lower.hasPrefix(kind.rawValue + "-") || lower.hasPrefix(kind.rawValue + "_") {
            return kind
        }
        switch lower {
        case "clients", "client", "users", "desktops", "laptops": return .workstation
        case "database", "postgres", "mysql": return .db
        case "redis", "memcached": return .cache
        case "internet", "public": return .internet
        default: return .api
        }
    }

    /// Link speed in bits per second (internet users draw their own, up to this).
    public var defaultLinkBitsPerSecond: Double {
        switch self {
        case .workstation, .monitor, .scanner: 1e9
        case .web, .api, .dns, .ntp: 10e9
        case .db, .cache: 25e9
        case .storage, .external: 10e9
        case .internet: 1e9
        }
    }

    /// The curve of the sessions the role's hosts start.
    public var defaultLoad: LoadCurve {
        switch self {
        case .workstation: LoadCurve(peakHour: 14, peakToTrough: 6, weekendFactor: 0.2)
        case .web, .api, .db, .cache, .internet: LoadCurve(peakHour: 20, peakToTrough: 3, weekendFactor: 1.15)
        case .dns, .ntp, .monitor, .scanner, .storage, .external: .flat
        }
    }

    /// The Zipf exponent of host activity as clients (0: every host alike).
    public var defaultActivity: Double {
        switch self {
        case .workstation: 1.0
        case .internet: 1.1
        case .web, .api, .db, .cache: 0.4
        default: 0
        }
    }

    /// How unevenly a service's hosts receive sessions (Zipf exponent; 0: load balanced).
    public var serverSkew: Double {
        switch self {
        case .db: 1.2
        case .cache: 0.6
        case .storage, .external: 1.0
        default: 0
        }
    }

    /// Median server time to the first response byte, in milliseconds.
    public var serverTimeMs: Double {
        switch self {
        case .web: 18
        case .api: 12
        case .db: 2.5
        case .cache: 0.25
        case .dns: 0.8
        case .ntp: 0.2
        case .storage: 25
        case .external: 30
        case .workstation, .monitor, .scanner, .internet: 5
        }
    }

    /// The share of the role's hosts running Windows (the rest run Linux), which decides their
    /// ephemeral source ports (49152-65535 on Windows, 32768-60999 on Linux).
    public var windowsShare: Double {
        switch self {
        case .workstation: 0.75
        case .internet: 0.6
        default: 0
        }
    }
}

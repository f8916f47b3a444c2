import ChaosEngine
import TelemetryModel

extension NetworkDeclaration {
    /// The declaration as the YAML `network:` section that reads back as it (what
    /// `netchaos generate --print-network` prints, and examples/network.yaml holds).
    public var yaml: String {
        var out = "network:\n"
        out += "  domain: \(domain)\n"
        out += "  window: \(Self.duration(windowMs))\n"
        if !load.isEmpty { out += "  load: \(Self.curve(load))\n" }
        out += "  vpcs:\n"
        for vpc in vpcs {
            out += "    - {name: \(vpc.name), cidr: \(vpc.cidr), account: \"\(vpc.account)\", region: \(vpc.region), env: \(vpc.environment)}\n"
        }
        out += "  roles:\n"
        for role in roles {
            out += "    - name: \(role.name)\n"
            out += "      kind: \(role.kind.rawValue)\n"
            if let vpc = role.vpc { out += "      vpc: \(vpc)\n" }
            out += "      subnets: [\(role.networks.map(\.description).joined(separator: ", "))]\n"
            if let hosts = role.hosts { out += "      hosts: \(hosts)\n" }
            if !role.serves.isEmpty { out += "      serves: [\(role.serves.map(\.description).joined(separator: ", "))]\n" }
            if !role.clients.isEmpty {
                out += "      clients: {\(role.clients.map { "\($0.role): \(Self.number($0.weight))" }.joined(separator: ", "))}\n"
            }
            if role.weight > 0 { out += "      weight: \(Self.number(role.weight))\n" }
            if let link = role.linkBitsPerSecond { out += "      link: \(Self.speed(link))\n" }
            if let activity = role.activity { out += "      activity: \(Self.number(activity))\n" }
            if !role.load.isEmpty { out += "      load: \(Self.curve(role.load))\n" }
            if let name = role.hostName { out += "      host_name: \(name)\n" }
        }
        if !traffic.isEmpty {
            out += "  traffic:\n"
            for edge in traffic {
                var line = "    - {from: \(edge.from), to: \(edge.to)"
                if let ports = edge.ports { line += ", ports: [\(ports.map(\.description).joined(separator: ", "))]" }
                out += line + ", weight: \(Self.number(edge.weight))}\n"
            }
        }
        let b = background
        out += "  background:\n"
        out += "    refused: \(Self.number(b.refusedShare))\n"
        out += "    resets: \(Self.number(b.resetShare))\n"
        out += "    timeouts: \(Self.number(b.timeoutShare))\n"
        out += "    internet_noise: \(Self.number(b.internetNoiseShare))\n"
        out += "    noise_sources: \(b.noiseSources)\n"
        out += "    backup_hour: \(b.backupHour.map(Self.number) ?? "off")\n"
        out += "    backup_size: \(Int(b.backupBytes))\n"
        out += "    large_uploads: \(Self.number(b.largeUploadShare))\n"
        out += "    slow_at_peak: \(Self.number(b.slowAtPeak))\n"
        out += "    dns_txt: \(Self.number(b.dnsTXTShare))\n"
        out += "    dns_long_names: \(Self.number(b.dnsLongNameShare))\n"
        out += "    vulnerability_scan: {hour: \(b.vulnerabilityScanHour.map(Self.number) ?? "off"), ports: \(b.vulnerabilityScanPorts), spacing_ms: \(Self.number(b.vulnerabilityScanSpacingMs))}\n"
        out += "  exfil_targets: [\(exfiltrationTargets.map(\.description).joined(separator: ", "))]\n"
        out += "  scan_sources: [\(scanSources.map(\.description).joined(separator: ", "))]\n"
        return out
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func duration(_ ms: Int64) -> String {
        ms % 3_600_000 == 0 ? "\(ms / 3_600_000)h" : ms % 60_000 == 0 ? "\(ms / 60_000)m" : ms % 1_000 == 0 ? "\(ms / 1_000)s" : "\(ms)ms"
    }

    static func speed(_ bits: Double) -> String {
        for (scale, unit) in [(1e12, "Tbps"), (1e9, "Gbps"), (1e6, "Mbps"), (1e3, "kbps")] where bits >= scale && (bits / scale).rounded() == bits / scale {
            return number(bits / scale) + unit
        }
        return number(bits)
    }

    static func curve(_ curve: LoadCurveOverride) -> String {
        var parts: [String] = []
        if let shape = curve.shape { parts.append("curve: \(shape == .flat ? "off" : "diurnal")") }
        if let hour = curve.peakHour { parts.append("peak_hour: \(number(hour))") }
        if let ratio = curve.peakToTrough { parts.append("peak_to_trough: \(number(ratio))") }
        if let factor = curve.weekendFactor { parts.append("weekend_factor: \(number(factor))") }
        if let offset = curve.utcOffsetSeconds {
            let sign = offset < 0 ? "-" : "+"
            let minutes = abs(offset) / 60
            parts.append("timezone: \"\(sign)\(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)\"")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

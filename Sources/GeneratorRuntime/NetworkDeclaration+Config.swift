import ChaosEngine
import Foundation
import Settings
import TelemetryModel

extension NetworkDeclaration {
    /// The network a configuration describes: `network.vpcs`, `network.roles` and
    /// `network.traffic` in the YAML file (typed sections, unknown keys refused), or the shorthand
    /// (`network.clients`, `network.services`), or the built-in network; then the scalar knobs
    /// (window, load curve, background traffic, outside ranges) from flags, environment or file.
    public static func from(_ values: ConfigValues, document: ConfigTree?, startTime: Double) throws(ConfigurationError) -> NetworkDeclaration {
        let typed = document?["network.roles"] != nil || document?["network.vpcs"] != nil || document?["network.traffic"] != nil
        let clients = values.list("network.clients")
        let services = values.list("network.services")
        var network: NetworkDeclaration
        if typed {
            if services != nil || clients != nil {
                throw ConfigurationError(
                    key: "network.roles", value: "roles and services",
                    allowed: "either network.roles (with vpcs and traffic) or the shorthand network.services / network.clients (--service, --clients), not both"
                )
            }
            network = try declared(document!, startTime: startTime)
        } else if services != nil || clients != nil {
            do {
                network = try NetworkDeclaration(
                    clientSpecs: clients ?? NetworkDeclaration.defaultClientSpecs,
                    serviceSpecs: services ?? NetworkDeclaration.standardServiceSpecs,
                    exfiltrationSpecs: values.list("network.exfil_targets") ?? NetworkDeclaration.defaultExfiltrationTargets.map(\.description),
                    scanSourceSpecs: values.list("network.scan_sources") ?? NetworkDeclaration.defaultScanSources.map(\.description)
                )
            } catch {
                let key = switch error.part {
                case .clients: "network.clients"
                case .services: "network.services"
                case .exfiltrationTargets: "network.exfil_targets"
                case .scanSources: "network.scan_sources"
                }
                throw ConfigurationError(key: key, value: error.spec, allowed: error.reason)
            }
        } else {
            network = .standard
        }
        try applyKnobs(&network, values, startTime: startTime)
        do {
            try network.validate()
        } catch {
            throw ConfigurationError(key: error.path, value: "", allowed: error.reason)
        }
        return network
    }

    /// The shorthand's services when only `--clients` is given: today's built-in spec strings.
    public static let standardServiceSpecs = [
        "web=10.0.1.0/24:tcp/443+tcp/80*40",
        "api=10.0.2.0/24:tcp/8443+tcp/443*15",
        "db=10.0.3.0/26:tcp/5432+tcp/3306<web+api*8",
        "cache=10.0.4.0/27:tcp/6379<web+api*6",
        "dns=10.0.0.2+10.0.0.3:udp/53*10",
        "ntp=10.0.0.123:udp/123*2",
        "monitor=10.0.5.0/28:icmp<clients*3",
        "dns.google=8.8.8.8+8.8.4.4:udp/53+tcp/53*3",
        "one.one.one.one=1.1.1.1:udp/53*2",
        "s3.amazonaws.com=52.216.0.0/15:tcp/443*6",
        "api.github.com=140.82.112.0/20:tcp/443*3",
        "cdn.fastly.net=151.101.0.0/16:tcp/443*2",
    ]

    // MARK: - Scalar knobs

    static func applyKnobs(_ network: inout NetworkDeclaration, _ values: ConfigValues, startTime: Double) throws(ConfigurationError) {
        if let window = try values.duration("network.window") {
            let ms = Int64((window * 1_000).rounded())
            guard windowRange.contains(ms) else { throw values.fail("network.window", values.string("network.window")!, "a duration from 1s to 1h") }
            network.windowMs = ms
        }
        if let domain = values.string("network.domain") { network.domain = domain }
        var load = network.load
        if let curve = values.string("network.load.curve") {
            switch curve.lowercased() {
            case "diurnal", "daily", "on", "true": load.shape = .diurnal
            case "flat", "off", "none", "false": load.shape = .flat
            default: throw values.fail("network.load.curve", curve, "diurnal or off (flat)")
            }
        }
        load.peakHour = try values.double("network.load.peak_hour", in: 0...23.999) ?? load.peakHour
        load.peakToTrough = try values.double("network.load.peak_to_trough", in: 1...1_000) ?? load.peakToTrough
        load.weekendFactor = try values.double("network.load.weekend_factor", in: 0.01...100) ?? load.weekendFactor
        if let zone = values.string("network.load.timezone") {
            guard let offset = Self.utcOffset(zone, at: startTime) else {
                throw values.fail("network.load.timezone", zone, "UTC, an offset such as +02:00 or -5, or a zone name such as America/New_York")
            }
            load.utcOffsetSeconds = offset
        }
        network.load = load
        var b = network.background
        b.refusedShare = try values.double("network.background.refused", in: 0...0.5) ?? b.refusedShare
        b.resetShare = try values.double("network.background.resets", in: 0...0.5) ?? b.resetShare
        b.timeoutShare = try values.double("network.background.timeouts", in: 0...0.5) ?? b.timeoutShare
        b.internetNoiseShare = try values.double("network.background.internet_noise", in: 0...0.5) ?? b.internetNoiseShare
        b.noiseSources = try values.int("network.background.noise_sources", in: 1...1_000_000) ?? b.noiseSources
        b.backupHour = try hourOrOff(values, "network.background.backup_hour") ?? b.backupHour
        if let size = try values.size("network.background.backup_size", in: 1 << 20...1 << 43, example: "2GB") { b.backupBytes = Double(size) }
        b.largeUploadShare = try values.double("network.background.large_uploads", in: 0...0.5) ?? b.largeUploadShare
        b.slowAtPeak = try values.double("network.background.slow_at_peak", in: 1...100) ?? b.slowAtPeak
        b.dnsTXTShare = try values.double("network.background.dns_txt", in: 0...0.5) ?? b.dnsTXTShare
        b.dnsLongNameShare = try values.double("network.background.dns_long_names", in: 0...0.5) ?? b.dnsLongNameShare
        b.vulnerabilityScanHour = try hourOrOff(values, "network.background.vulnerability_scan.hour") ?? b.vulnerabilityScanHour
        b.vulnerabilityScanPorts = try values.int("network.background.vulnerability_scan.ports", in: 1...65_535) ?? b.vulnerabilityScanPorts
        b.vulnerabilityScanSpacingMs = try values.double("network.background.vulnerability_scan.spacing_ms", in: 0.1...60_000) ?? b.vulnerabilityScanSpacingMs
        if try values.bool("network.background.enabled") == false { b = .none }
        network.background = b
        if let targets = values.list("network.exfil_targets") { network.exfiltrationTargets = try cidrs(values, "network.exfil_targets", targets) }
        if let sources = values.list("network.scan_sources") { network.scanSources = try cidrs(values, "network.scan_sources", sources) }
    }

    /// An hour, or `off` (returned as a double-optional: nil when unset, `.some(nil)` when off).
    static func hourOrOff(_ values: ConfigValues, _ key: String) throws(ConfigurationError) -> Double?? {
        guard let text = values.string(key) else { return nil }
        if ["off", "none", "false", "no"].contains(text.lowercased()) { return .some(nil) }
        guard let hour = Double(text), (0..<24).contains(hour) else { throw values.fail(key, text, "an hour from 0 to 23.99, or off") }
        return .some(hour)
    }

    static func cidrs(_ values: ConfigValues, _ key: String, _ texts: [String]) throws(ConfigurationError) -> [IPv4Network] {
        var result: [IPv4Network] = []
        for text in texts {
            guard let network = IPv4Network(text) else { throw values.fail(key, text, "CIDR networks such as 203.0.113.0/24 (host bits zero)") }
            result.append(network)
        }
        guard !result.isEmpty else { throw values.fail(key, "", "at least one network") }
        return result
    }

    /// Seconds east of UTC of a zone at a moment: `UTC`, `+02:00`, `-5`, `+0530`, or a zone name.
    public static func utcOffset(_ text: String, at unixSeconds: Double) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["utc", "z", "gmt"].contains(trimmed.lowercased()) { return 0 }
        var body = Substring(trimmed)
        if body.lowercased().hasPrefix("utc") { body = body.dropFirst(3) }
        if let sign = body.first, sign == "+" || sign == "-" {
            let digits = body.dropFirst()
            let parts = digits.split(separator: ":")
            var hours: Int?
            var minutes = 0
            if parts.count == 2 {
                hours = Int(parts[0])
                minutes = Int(parts[1]) ?? -1
            } else if digits.count == 4, let value = Int(digits) {
                hours = value / 100
                minutes = value % 100
            } else {
                hours = Int(digits)
            }
            guard let h = hours, (0...14).contains(h), (0..<60).contains(minutes) else { return nil }
            return (sign == "-" ? -1 : 1) * (h * 3_600 + minutes * 60)
        }
        guard let zone = TimeZone(identifier: trimmed) else { return nil }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: unixSeconds))
    }
}

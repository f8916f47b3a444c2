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
        let knobs = Knobs.network
        let clients = try values.value(knobs.clients)
        let services = try values.value(knobs.services)
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
            let exfiltrationSpecs = try values.value(knobs.exfilTargets) ?? NetworkDeclaration.defaultExfiltrationTargets.map(\.description)
            let scanSourceSpecs = try values.value(knobs.scanSources) ?? NetworkDeclaration.defaultScanSources.map(\.description)
            do {
                network = try NetworkDeclaration(
                    clientSpecs: clients ?? NetworkDeclaration.defaultClientSpecs,
                    serviceSpecs: services ?? NetworkDeclaration.standardServiceSpecs,
                    exfiltrationSpecs: exfiltrationSpecs, scanSourceSpecs: scanSourceSpecs
                )
            } catch {
                let knob = switch error.part {
                case .clients: knobs.clients
                case .services: knobs.services
                case .exfiltrationTargets: knobs.exfilTargets
                case .scanSources: knobs.scanSources
                }
                throw values.fail(knob, error.spec, error.reason)
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
        let knobs = Knobs.network
        if let window = try values.value(knobs.window) {
            let ms = Int64((window * 1_000).rounded())
            guard windowRange.contains(ms) else { throw values.fail(knobs.window, values.text(knobs.window) ?? "", "a duration from 1s to 1h") }
            network.windowMs = ms
        }
        if let domain = try values.value(knobs.domain) { network.domain = domain }
        var load = network.load
        if let curve = try values.value(knobs.loadCurve) {
            switch curve.lowercased() {
            case "diurnal", "daily", "on", "true": load.shape = .diurnal
            case "flat", "off", "none", "false": load.shape = .flat
            default: throw values.fail(knobs.loadCurve, curve, "diurnal or off (flat)")
            }
        }
        load.peakHour = try values.value(knobs.loadPeakHour) ?? load.peakHour
        load.peakToTrough = try values.value(knobs.loadPeakToTrough) ?? load.peakToTrough
        load.weekendFactor = try values.value(knobs.loadWeekendFactor) ?? load.weekendFactor
        if let zone = try values.value(knobs.loadTimezone) {
            guard let offset = Self.utcOffset(zone, at: startTime) else {
                throw values.fail(knobs.loadTimezone, zone, "UTC, an offset such as +02:00 or -5, or a zone name such as America/New_York")
            }
            load.utcOffsetSeconds = offset
        }
        network.load = load
        var b = network.background
        b.refusedShare = try values.value(knobs.backgroundRefused) ?? b.refusedShare
        b.resetShare = try values.value(knobs.backgroundResets) ?? b.resetShare
        b.timeoutShare = try values.value(knobs.backgroundTimeouts) ?? b.timeoutShare
        b.internetNoiseShare = try values.value(knobs.backgroundInternetNoise) ?? b.internetNoiseShare
        b.noiseSources = try values.value(knobs.backgroundNoiseSources) ?? b.noiseSources
        b.backupHour = try hourOrOff(values, knobs.backgroundBackupHour) ?? b.backupHour
        if let size = try values.value(knobs.backgroundBackupSize) { b.backupBytes = Double(size) }
        b.largeUploadShare = try values.value(knobs.backgroundLargeUploads) ?? b.largeUploadShare
        b.slowAtPeak = try values.value(knobs.backgroundSlowAtPeak) ?? b.slowAtPeak
        b.dnsTXTShare = try values.value(knobs.backgroundDnsTxt) ?? b.dnsTXTShare
        b.dnsLongNameShare = try values.value(knobs.backgroundDnsLongNames) ?? b.dnsLongNameShare
        b.vulnerabilityScanHour = try hourOrOff(values, knobs.backgroundVulnerabilityScanHour) ?? b.vulnerabilityScanHour
        b.vulnerabilityScanPorts = try values.value(knobs.backgroundVulnerabilityScanPorts) ?? b.vulnerabilityScanPorts
        b.vulnerabilityScanSpacingMs = try values.value(knobs.backgroundVulnerabilityScanSpacingMs) ?? b.vulnerabilityScanSpacingMs
        if try !values.value(knobs.backgroundEnabled) { b = .none }
        network.background = b
        if let targets = try values.value(knobs.exfilTargets) { network.exfiltrationTargets = try cidrs(values, knobs.exfilTargets, targets) }
        if let sources = try values.value(knobs.scanSources) { network.scanSources = try cidrs(values, knobs.scanSources, sources) }
    }

    /// An hour, or `off` (returned as a double-optional: nil when unset, `.some(nil)` when off).
    static func hourOrOff(_ values: ConfigValues, _ setting: Setting<String?>) throws(ConfigurationError) -> Double?? {
        guard let text = try values.value(setting) else { return nil }
        if ["off", "none", "false", "no"].contains(text.lowercased()) { return .some(nil) }
        guard let hour = Double(text), (0..<24).contains(hour) else { throw values.fail(setting, text, "an hour from 0 to 23.99, or off") }
        return .some(hour)
    }

    static func cidrs(_ values: ConfigValues, _ setting: Setting<[String]?>, _ texts: [String]) throws(ConfigurationError) -> [IPv4Network] {
        var result: [IPv4Network] = []
        for text in texts {
            guard let network = IPv4Network(text) else { throw values.fail(setting, text, "CIDR networks such as 203.0.113.0/24 (host bits zero)") }
            result.append(network)
        }
        guard !result.isEmpty else { throw values.fail(setting, "", "at least one network") }
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

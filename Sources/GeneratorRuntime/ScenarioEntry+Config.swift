import ChaosEngine
import Foundation
import Settings
import TelemetryModel

extension ScenarioEntry {
    static let keys = ["name", "family", "source", "target", "start", "duration", "intensity", "every", "rate", "ports", "method", "timing",
                       "period", "jitter", "sources"]
    static let timingNames = ["paranoid", "sneaky", "polite", "normal", "aggressive", "insane"]

    /// The entries of a `scenarios:` list (in a configuration file, or a scenario file of its own),
    /// read strictly: an unknown key, a wrong type or a bad value is an error naming its path
    /// (`scenarios[2].duration`, with `prefix` before it).
    static func entries(_ list: ConfigTree, path: String) throws(ConfigurationError) -> [ScenarioEntry] {
        guard case .list(let items) = list else { throw ConfigurationError(key: path, value: "a single value", allowed: "a list of scenario entries") }
        var entries: [ScenarioEntry] = []
        for (i, item) in items.enumerated() {
            entries.append(try entry(item, path: "\(path)[\(i)]"))
        }
        return entries
    }

    /// One entry as a JSON object (or YAML mapping) of the same keys (`POST /api/incidents`); a
    /// problem names the key (`family`, `duration`...). Starts come from the caller.
    public static func parse(document text: String) throws(ConfigurationError) -> ScenarioEntry {
        let tree = try ConfigTree.parse(yaml: text)
        return try entry(tree, path: "incident")
    }

    static func entry(_ item: ConfigTree, path: String) throws(ConfigurationError) -> ScenarioEntry {
        var r = try ConfigTreeReader(item, path: path)
        let families = ScenarioEntry.families.map(\.name)
        let family = try r.parsed("family", "one of " + families.joined(separator: ", ")) { name in
            IncidentFamily(name: name.lowercased()).flatMap { ScenarioEntry.families.contains($0) ? $0 : nil }
        }
        guard let family else { throw ConfigurationError(key: path + ".family", value: "", allowed: "one of " + families.joined(separator: ", ") + " (required)") }
        let placeHelp = "an address (10.0.1.5), a network (10.0.1.0/24), a role (role:web), random internal host or random external host"
        let source = try r.parsed("source", placeHelp) { Place($0) } ?? (family == .ddos || family == .bruteForce || family == .portScan ? .randomExternal : .randomInternal)
        let target = try r.parsed("target", placeHelp) { Place($0) } ?? (family == .exfiltration || family == .dnsTunnel || family == .beaconing ? .randomExternal : .randomInternal)
        var startOffsetMs: Int64? = 0
        var startAtMs: Int64?
        if let text = try r.text("start") {
            let offset = text.hasPrefix("+") ? String(text.dropFirst()) : text
            let plainNumber = Double(offset) != nil
            if text == "0" {
                startOffsetMs = 0
            } else if let seconds = Self.duration(offset), !plainNumber || text.hasPrefix("+") || seconds < 1_000_000_000 {
                startOffsetMs = Int64((seconds * 1_000).rounded())
            } else if let at = ConfigValues.parseTime(text) {
                startAtMs = Int64((at * 1_000).rounded())
                startOffsetMs = nil
            } else {
                throw ConfigurationError(key: path + ".start", value: text, allowed: "an offset from the run's start (90s, 10m, 2h) or a time (2026-11-24T15:00:00Z, Unix seconds)")
            }
        }
        let durationHelp = "a duration such as 30s, 5m or 2h"
        guard let duration = try r.parsed("duration", durationHelp, { Self.duration($0) }) else {
            throw ConfigurationError(key: path + ".duration", value: "", allowed: durationHelp + " (required)")
        }
        let unit = ScenarioEntry.intensityUnit(family).unit
        let intensity = try r.parsed("intensity", "a positive number: " + unit) { Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
        let every = try r.parsed("every", "a period such as 2h") { Self.duration($0) }
        let rate = try r.parsed("rate", "a mean number of incidents per day or hour, such as 3/day or 1/h") { Self.perDay($0) }
        if every != nil && rate != nil {
            throw ConfigurationError(key: path + ".rate", value: "", allowed: "either every or rate, not both")
        }
        var ports: [UInt16]?
        if let texts = try r.texts("ports") {
            var list: [UInt16] = []
            for text in texts {
                guard let parsed = Self.ports(text) else { throw ConfigurationError(key: path + ".ports", value: text, allowed: "ports 1-65535 or ranges such as 1-1024") }
                list += parsed
            }
            guard !list.isEmpty, list.count <= 65_535 else { throw ConfigurationError(key: path + ".ports", value: "", allowed: "1 to 65535 ports") }
            ports = list
        }
        let method = try r.parsed("method", "syn, connect or udp") { ScanMethod(rawValue: $0.lowercased()) } ?? .syn
        let timing = try r.parsed("timing", "an nmap timing template: T0-T5, 0-5 or paranoid, sneaky, polite, normal, aggressive, insane") { Self.timing($0) } ?? 3
        let period = try r.parsed("period", durationHelp) { Self.duration($0) } ?? 60
        let jitter = try r.parsed("jitter", "a share of the period from 0 to 0.9") { Double($0).flatMap { (0...0.9).contains($0) ? $0 : nil } } ?? 0.1
        let sources = try r.parsed("sources", "a whole number of sources from 1 to 100000") { Int($0).flatMap { (1...100_000).contains($0) ? $0 : nil } }
        let name = try r.text("name")
        try r.refuseUnknown(allowed: keys)
        return ScenarioEntry(
            family: family, source: source, target: target, startOffsetMs: startOffsetMs, startAtMs: startAtMs,
            durationMs: Int64((duration * 1_000).rounded()), intensity: intensity, everyMs: every.map { Int64(($0 * 1_000).rounded()) }, perDay: rate,
            ports: ports, method: method, timing: timing, periodMs: Int64((period * 1_000).rounded()), jitter: jitter, sources: sources, name: name
        )
    }

    /// Seconds in a duration, compound ones too (`1h30m`, `2m30s`).
    static func duration(_ text: String) -> Double? {
        if let seconds = ConfigValues.parseDuration(text) { return seconds }
        var total = 0.0
        var part = ""
        var previousWasUnit = false
        for c in text.lowercased() {
            if c.isLetter {
                part.append(c)
                previousWasUnit = true
            } else {
                if previousWasUnit {
                    guard let seconds = ConfigValues.parseDuration(part) else { return nil }
                    total += seconds
                    part = ""
                }
                part.append(c)
                previousWasUnit = false
            }
        }
        guard previousWasUnit, let seconds = ConfigValues.parseDuration(part) else { return nil }
        return total + seconds
    }

    /// `3/day`, `1/h`, `12/d`: occurrences per day.
    static func perDay(_ text: String) -> Double? {
        let parts = text.lowercased().split(separator: "/")
        guard parts.count == 2, let count = Double(parts[0].trimmingCharacters(in: .whitespaces)), count > 0, count.isFinite else { return nil }
        switch parts[1].trimmingCharacters(in: .whitespaces) {
        case "day", "d": return count
        case "hour", "h": return count * 24
        case "week", "w": return count / 7
        default: return nil
        }
    }

    static func ports(_ text: String) -> [UInt16]? {
        let bounds = text.split(separator: "-").map { UInt16($0.trimmingCharacters(in: .whitespaces)) }
        guard let low = bounds.first ?? nil, low > 0 else { return nil }
        guard bounds.count == 2 else { return bounds.count == 1 ? [low] : nil }
        guard let high = bounds[1], high >= low else { return nil }
        return Array(low...high)
    }

    static func timing(_ text: String) -> Int? {
        let lower = text.lowercased()
        if let index = timingNames.firstIndex(of: lower) { return index }
        let digits = lower.hasPrefix("t") ? String(lower.dropFirst()) : lower
        return Int(digits).flatMap { (0...5).contains($0) ? $0 : nil }
    }
}

extension GeneratorConfiguration {
    /// `scenarios:` of the configuration file, then those of `generator.scenario` (a YAML file with a
    /// `scenarios:` list), checked against the network.
    mutating func readScenarios(_ values: ConfigValues, document: ConfigTree?) throws(ConfigurationError) {
        // Each group with the place its errors name (`scenarios[1].target`, `day.yaml: scenarios[0].target`).
        var groups: [(entries: [ScenarioEntry], prefix: String)] = []
        if let list = document?["scenarios"] {
            groups.append((try ScenarioEntry.entries(list, path: "scenarios"), ""))
        }
        if let path = try values.value(Knobs.generator.scenario) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(key: Knobs.generator.scenario.key, value: path, allowed: "a readable YAML file with a scenarios: list")
            }
            let tree: ConfigTree
            do throws(ConfigurationError) {
                tree = try ConfigTree.parse(yaml: text)
            } catch {
                throw ConfigurationError(key: Knobs.generator.scenario.key, value: path, allowed: error.allowed)
            }
            var reader = try ConfigTreeReader(tree, path: path)
            let list = reader.value("scenarios")
            try reader.refuseUnknown(allowed: ["scenarios"])
            guard let list else {
                throw ConfigurationError(key: Knobs.generator.scenario.key, value: path, allowed: "a YAML file with a scenarios: list")
            }
            groups.append((try ScenarioEntry.entries(list, path: path + ": scenarios"), path + ": "))
        }
        let entries = groups.flatMap(\.entries)
        guard !entries.isEmpty else { return }
        guard dataset == .flow else {
            throw ConfigurationError(key: Knobs.generator.scenario.key, value: "", allowed: "scenarios only for the flow dataset")
        }
        let topology = Topology(declaration: network, seed: seed)
        for group in groups {
            do throws(ScenarioPlan.Failure) {
                _ = try ScenarioPlan.compile(group.entries, topology: topology, startMs: Int64((startTime * 1_000).rounded()))
            } catch {
                throw ConfigurationError(key: group.prefix + error.path, value: "", allowed: error.reason)
            }
        }
        scenarios = entries
    }
}

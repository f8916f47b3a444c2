/// Strict reading of a configuration file: every key is a knob, a section of knobs, or a section
/// its owner reads strictly (the network, scenarios, librdkafka's properties).
extension ConfigTree {
    /// Sections whose keys are not knobs: their owners check them.
    public static let ownedSections: Set<String> = ["network", "scenarios", "kafka.properties"]

    /// Fails on the first key that is no knob and in no section of knobs, or a knob given a
    /// mapping, or a section given a value; names the key, its line in `file` and the nearest
    /// known key.
    public func checkKeys(known: Set<String> = ConfigKeys.yamlKeys, file: String) throws(ConfigurationError) {
        let sections = Set(known.flatMap { key in
            let parts = key.split(separator: ".")
            return (1..<max(parts.count, 1)).map { parts.prefix($0).joined(separator: ".") }
        })
        func place(_ line: Int?) -> String { line.map { "\(file) line \($0)" } ?? file }
        func walk(_ node: ConfigTree, _ path: String) throws(ConfigurationError) {
            guard case .map(let entries) = node else { return }
            for entry in entries {
                let key = path.isEmpty ? entry.key : path + "." + entry.key
                if Self.ownedSections.contains(key) {
                    if key == "network", case .map = entry.value {
                        // The network's own keys are read by its owner, its knobs here.
                        try walkNetwork(entry.value, key)
                    }
                    continue
                }
                if known.contains(key) {
                    if case .map = entry.value, !sections.contains(key) {
                        throw ConfigurationError(unknownKey: key, message: "\(key) in \(place(entry.line)) takes a value or a list, not a mapping")
                    }
                    continue
                }
                if sections.contains(key) {
                    guard case .map = entry.value else {
                        let inside = known.filter { $0.hasPrefix(key + ".") }.sorted().prefix(4).joined(separator: ", ")
                        throw ConfigurationError(unknownKey: key, message: "\(key) in \(place(entry.line)) is a section, not a value (its keys: \(inside), ...)")
                    }
                    try walk(entry.value, key)
                    continue
                }
                var text = "unknown key \(key) in \(place(entry.line))"
                if let near = Self.nearest(key, in: known.union(Self.ownedSections)) { text += ": did you mean \(near)?" }
                throw ConfigurationError(unknownKey: key, message: text)
            }
        }
        func walkNetwork(_ node: ConfigTree, _ path: String) throws(ConfigurationError) {
            guard case .map(let entries) = node else { return }
            for entry in entries {
                let key = path + "." + entry.key
                if sections.contains(key), case .map = entry.value { try walk(entry.value, key) }
            }
        }
        try walk(self, "")
    }

    /// The known key closest to `key` by edit distance, if close enough to be a slip.
    static func nearest(_ key: String, in known: Set<String>) -> String? {
        var best: (key: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(Array(key.utf8), Array(candidate.utf8))
            if distance < (best?.distance ?? .max) || (distance == best?.distance && candidate < best!.key) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, key.count / 4) else { return nil }
        return best.key
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : b.isEmpty ? a.count : previous[b.count]
    }
}

import KafkaTransport
import Settings

/// A record encoding an output can use.
public enum OutputFormat: String, Sendable, CaseIterable, Hashable {
    case jsonl
    case jsonGz = "json.gz"
    case csv
    case parquet
    /// AWS VPC Flow Logs text.
    case vpc
    /// Zeek's conn.log: one line per connection, TSV with Zeek's header.
    case zeek
    /// Zeek's conn.log as JSON lines.
    case zeekJSON = "zeek-json"
    /// Firewall logs: CEF events in RFC 5424 syslog messages, one a line.
    case cef
    /// Packets: the sessions as a classic PCAP capture.
    case pcap

    /// Names accepted on the command line and in configuration.
    public static let allowedNames = "jsonl, json.gz, csv, parquet, vpc, zeek, zeek-json, cef, pcap"

    /// Parses a format name (`ndjson` and `json` mean `jsonl`; `jsonl.gz`, `ndjson.gz` and `gz` mean `json.gz`).
    public init?(name: String) {
        switch name.lowercased() {
        case "jsonl", "ndjson", "json": self = .jsonl
        case "json.gz", "jsonl.gz", "ndjson.gz", "gz", "gzip": self = .jsonGz
        case "csv": self = .csv
        case "parquet", "pq": self = .parquet
        case "vpc", "vpc-flow-log", "vpcflow": self = .vpc
        case "zeek", "conn.log", "zeek-tsv": self = .zeek
        case "zeek-json", "zeek.json": self = .zeekJSON
        case "cef", "syslog": self = .cef
        case "pcap", "packets": self = .pcap
        default: return nil
        }
    }

    /// The format a file name's extension implies, if any.
    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".json.gz") || lower.hasSuffix(".jsonl.gz") || lower.hasSuffix(".ndjson.gz") {
            self = .jsonGz
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            self = .jsonl
        } else if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".parquet") {
            self = .parquet
        } else if lower.hasSuffix(".vpc") || lower.hasSuffix(".vpc.log") {
            self = .vpc
        } else if lower.hasSuffix("conn.log") || lower.hasSuffix(".zeek") {
            self = .zeek
        } else if lower.hasSuffix(".cef") || lower.hasSuffix(".cef.log") {
            self = .cef
        } else if lower.hasSuffix(".pcap") {
            self = .pcap
        } else {
            return nil
        }
    }

    /// The extension rotation keeps at the end of each file name.
    var fileExtension: String {
        switch self {
        case .jsonl: ".jsonl"
        case .jsonGz: ".json.gz"
        case .csv: ".csv"
        case .parquet: ".parquet"
        case .vpc: ".vpc"
        case .zeek, .zeekJSON: ".log"
        case .cef: ".cef"
        case .pcap: ".pcap"
        }
    }
}

/// Where one output writes and in which format.
public struct OutputSpec: Sendable, Hashable, CustomStringConvertible {
    public enum Destination: Sendable, Hashable {
        case stdout
        case file(path: String)
        /// A Kafka topic; nil parts come from `kafka.brokers` and `kafka.topic`.
        case kafka(brokers: [String]?, topic: String?)
        /// An ingester's base URL: snapshots are POSTed to `<url>/telemetry` (push mode).
        case http(url: String)
        /// The generator serves the latest snapshot at `GET /counters` on this address (pull mode).
        case serve(host: String, port: Int)
        /// The in-process queue of `netchaos up` (given to ``GeneratorService``), one message a record.
        case queue
        /// VPC flow logs in AWS's layout in an object store: `file:DIR` or `s3://BUCKET[/PREFIX]`.
        case objectStore(location: String)
        /// NetFlow v9 or IPFIX export packets over UDP to a collector.
        case netflow(NetFlowTarget)
        /// Firewall logs (CEF in syslog messages) to a syslog receiver over UDP or TCP.
        case syslog(SyslogTarget)
    }

    public var destination: Destination
    public var format: OutputFormat

    public init(destination: Destination, format: OutputFormat) {
        self.destination = destination
        self.format = format
    }

    /// Parses `-` or `stdout`, `file:PATH` or a plain path. The format comes from the path's
    /// extension, else from `defaultFormat`.
    public init(parsing text: String, defaultFormat: OutputFormat?) throws(ConfigurationError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "-" || trimmed == "stdout" {
            self.init(destination: .stdout, format: defaultFormat ?? .jsonl)
            return
        }
        if trimmed.lowercased() == "kafka" || trimmed.lowercased().hasPrefix("kafka://") {
            self.init(destination: try Self.kafka(trimmed), format: .jsonl)
            return
        }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("syslog://") {
            self.init(destination: .syslog(try SyslogTarget(parsing: trimmed)), format: .cef)
            return
        }
        if lower.hasPrefix("netflow://") || lower.hasPrefix("ipfix://") {
            self.init(destination: .netflow(try NetFlowTarget(parsing: trimmed)), format: .jsonl)
            return
        }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            var url = trimmed
            while url.hasSuffix("/") { url.removeLast() }
            guard url.split(separator: "/").count >= 2 else {
                throw ConfigurationError(key: "outputs", value: text, allowed: "http(s)://HOST:PORT of an ingester")
            }
            self.init(destination: .http(url: url), format: .jsonl)
            return
        }
        if lower.hasPrefix("serve://") {
            let address = trimmed.dropFirst("serve://".count)
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65_535).contains(port) else {
                throw ConfigurationError(key: "outputs", value: text, allowed: "serve://HOST:PORT (the generator serves GET /counters there)")
            }
            let host = String(address[..<colon])
            self.init(destination: .serve(host: host.isEmpty ? "0.0.0.0" : host, port: port), format: .csv)
            return
        }
        if lower.hasPrefix("s3://") || trimmed.hasSuffix("/") {
            // VPC flow logs as AWS delivers them, to a bucket or a directory.
            if let defaultFormat, defaultFormat != .vpc {
                throw ConfigurationError(key: "outputs", value: text, allowed: "a directory (PATH/) or s3://BUCKET[/PREFIX] takes VPC flow logs in AWS's layout (--format vpc), not \(defaultFormat.rawValue)")
            }
            var location = trimmed
            if !lower.hasPrefix("s3://") {
                let path = trimmed.hasPrefix("file:") ? String(trimmed.dropFirst(5)) : trimmed
                location = "file:" + String(path.dropLast())
                guard path.count > 1 else { throw ConfigurationError(key: "outputs", value: text, allowed: "a directory such as ./vpc-logs/") }
            }
            self.init(destination: .objectStore(location: location), format: .vpc)
            return
        }
        let path = trimmed.hasPrefix("file:") ? String(trimmed.dropFirst(5)) : trimmed
        guard !path.isEmpty, !path.hasSuffix("/") else {
            throw ConfigurationError(key: "outputs", value: text, allowed: "'-' or 'stdout', or a file path such as ./out/flows.jsonl")
        }
        if path.contains("://") {
            throw ConfigurationError(
                key: "outputs", value: text,
                allowed: "'-' or 'stdout', 'kafka' or kafka://HOST:PORT[,HOST:PORT]/TOPIC, http(s)://HOST:PORT (an ingester), serve://HOST:PORT, netflow://HOST:PORT or ipfix://HOST:PORT (a collector), syslog://HOST:PORT (firewall logs), a file path, or a directory (DIR/) or s3://BUCKET[/PREFIX] for VPC flow logs"
            )
        }
        // A known extension decides; --format covers stdout and other names.
        guard let format = OutputFormat(path: path) ?? defaultFormat else {
            throw ConfigurationError(
                key: "outputs", value: text,
                allowed: "a file name ending in .jsonl, .json.gz, .csv, .parquet, .vpc, conn.log, .cef or .pcap, or an explicit --format (\(OutputFormat.allowedNames))"
            )
        }
        self.init(destination: .file(path: path), format: format)
    }

    /// `kafka` or `kafka://HOST:PORT[,HOST:PORT...][/TOPIC]`.
    static func kafka(_ text: String) throws(ConfigurationError) -> Destination {
        guard text.count > 5 else { return .kafka(brokers: nil, topic: nil) }
        let rest = text.dropFirst("kafka://".count)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let brokers = parts[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let topic = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
        let allowed = "kafka, or kafka://HOST:PORT[,HOST:PORT...][/TOPIC] such as kafka://localhost:9092/network-telemetry"
        guard brokers.allSatisfy(KafkaClientConfiguration.isHostPort) else {
            throw ConfigurationError(key: "outputs", value: text, allowed: allowed)
        }
        if let topic, !KafkaProducerConfiguration.isValidTopic(topic) {
            throw ConfigurationError(key: "outputs", value: text, allowed: allowed + " (topic: A-Z a-z 0-9 . _ -)")
        }
        return .kafka(brokers: brokers.isEmpty ? nil : brokers, topic: topic)
    }

    public var description: String {
        switch destination {
        case .stdout: "stdout(\(format.rawValue))"
        case .file(let path): "\(path)(\(format.rawValue))"
        case .kafka(nil, nil): "kafka"
        case .kafka(let brokers, let topic):
            "kafka://\(brokers?.joined(separator: ",") ?? "")/\(topic ?? "")"
        case .http(let url): url
        case .serve(let host, let port): "serve://\(host):\(port)"
        case .queue: "queue"
        case .objectStore(let location): "\(location)(vpc, AWS layout)"
        case .netflow(let target): target.description
        case .syslog(let target): target.description
        }
    }
}

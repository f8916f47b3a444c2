/// The name a DNS record's last query asked for, written in `app_layer.host` of DNS records (the
/// records of other protocols name their server there). A record holds it as a kind and an index:
/// random-looking names (CDN and antivirus lookups, a tunnel's encoded data) are spelled from the
/// record's event id when it is written, so an event carries no string.
public struct QueryName: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        /// Not a DNS query: the server's own name.
        case server
        /// A host of the network by name (`db-7.internal.prod`): `index` is the host.
        case host
        /// A well-known name (`login.microsoftonline.com`): `index` into ``popularDomains``.
        case popular
        /// A benign machine-made name (a CDN edge, an antivirus reputation lookup): `index` into
        /// ``lookupStyles``.
        case lookup
        /// A DNS tunnel's query: `labels` characters of encoded data, then the name of host `index`
        /// (the tunnel's domain).
        case tunnel
    }

    public var kind: Kind
    public var labels: UInt8
    public var index: UInt32

    public static let server = QueryName(kind: .server, labels: 0, index: 0)

    @inline(__always)
    public static func host(_ host: UInt32) -> QueryName { QueryName(kind: .host, labels: 0, index: host) }

    @inline(__always)
    public static func popular(_ index: Int) -> QueryName { QueryName(kind: .popular, labels: 0, index: UInt32(index)) }

    @inline(__always)
    public static func lookup(_ style: Int) -> QueryName { QueryName(kind: .lookup, labels: 0, index: UInt32(style)) }

    /// A tunnel query to `domainHost`'s name whose encoded labels take `labels` characters (dots
    /// between labels included).
    @inline(__always)
    public static func tunnel(domainHost: UInt32, labels: Int) -> QueryName {
        var count = min(max(labels, 1), 250)
        // (Never a dot last: the labels end in a character.)
        if count % (tunnelLabel + 1) == 0 { count -= 1 }
        return QueryName(kind: .tunnel, labels: UInt8(count), index: domainHost)
    }

    /// The longest label of a tunnel's data: tunnel tools cut their encoded data at 57 or so.
    static let tunnelLabel = 57

    /// The longest name DNS allows, in characters.
    public static let maxLength = 253

    /// Names that clients of a network look up all day, most common first (picked with a skew
    /// toward the top, as real query logs are).
    public static let popularDomains: [String] = [
        "www.google.com", "login.microsoftonline.com", "outlook.office365.com", "graph.microsoft.com", "api.github.com",
        "s3.amazonaws.com", "sts.amazonaws.com", "ocsp.digicert.com", "slack.com", "wss-primary.slack.com",
        "fonts.googleapis.com", "www.gstatic.com", "teams.microsoft.com", "time.windows.com", "ctldl.windowsupdate.com",
        "registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "github.com", "objects.githubusercontent.com",
        "registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com", "api.datadoghq.com", "ec2.us-east-1.amazonaws.com",
        "dynamodb.us-east-1.amazonaws.com", "sqs.us-east-1.amazonaws.com", "zoom.us", "www.youtube.com", "i.ytimg.com",
        "update.googleapis.com", "dl.google.com", "edge.microsoft.com", "www.bing.com", "archive.ubuntu.com",
        "security.ubuntu.com", "deb.debian.org", "ntp.ubuntu.com", "api.stripe.com", "hooks.slack.com",
        "sentry.io", "o450123.ingest.sentry.io", "smtp.gmail.com", "imap.gmail.com", "accounts.google.com",
        "oauth2.googleapis.com", "www.linkedin.com", "static.licdn.com", "cdn.jsdelivr.net", "unpkg.com",
        "api.segment.io", "browser-intake-datadoghq.com", "logs.us-east-1.amazonaws.com", "monitoring.us-east-1.amazonaws.com", "kms.us-east-1.amazonaws.com",
        "crl3.digicert.com", "r3.o.lencr.org", "x1.c.lencr.org", "push.apple.com", "captive.apple.com",
        "connectivitycheck.gstatic.com", "settings-win.data.microsoft.com", "v10.events.data.microsoft.com", "login.live.com", "api.twilio.com",
    ]

    /// How the benign machine-made names are spelled: a prefix, random characters from an
    /// alphabet, and a suffix. Some are long runs of base32 under one domain, as a tunnel's are
    /// (antivirus clouds answer file-hash lookups over DNS).
    public struct LookupStyle: Sendable {
        public let prefix: String
        public let alphabet: String
        public let characters: ClosedRange<Int>
        public let suffix: String
    }

    public static let lookupStyles: [LookupStyle] = [
        LookupStyle(prefix: "d", alphabet: base36, characters: 13...13, suffix: ".cloudfront.net"),
        LookupStyle(prefix: "", alphabet: hex, characters: 32...32, suffix: ".avqs.mcafee.com"),
        LookupStyle(prefix: "", alphabet: base32, characters: 40...60, suffix: ".e5.sk"),
        LookupStyle(prefix: "e", alphabet: digits, characters: 4...5, suffix: ".dscx.akamaiedge.net"),
        LookupStyle(prefix: "", alphabet: base36, characters: 10...10, suffix: ".execute-api.us-east-1.amazonaws.com"),
        LookupStyle(prefix: "r4---sn-", alphabet: base36, characters: 8...8, suffix: ".googlevideo.com"),
    ]

    static let base32 = "abcdefghijklmnopqrstuvwxyz234567"
    static let base36 = "abcdefghijklmnopqrstuvwxyz0123456789"
    static let hex = "0123456789abcdef"
    static let digits = "0123456789"

    /// Writes the name's characters for a record whose event id gives `seed`, `host` writing a
    /// host's name. ``Kind/server`` is the caller's (it writes the server's name).
    @inline(__always)
    public func write(_ p: inout UnsafeMutablePointer<UInt8>, seed: UInt64, host: (inout UnsafeMutablePointer<UInt8>, UInt32) -> Void) {
        switch kind {
        case .server, .host:
            host(&p, index)
        case .popular:
            Self.bytes(&p, Self.popularBytes[Int(index) % Self.popularBytes.count])
        case .lookup:
            let style = Self.lookupStyles[Int(index) % Self.lookupStyles.count]
            var state = seed
            let span = UInt64(style.characters.count)
            let count = style.characters.lowerBound + Int(Self.next(&state) % span)
            Self.bytes(&p, Array(style.prefix.utf8))
            Self.random(&p, count: count, alphabet: Array(style.alphabet.utf8), state: &state, labelLength: 63)
            Self.bytes(&p, Array(style.suffix.utf8))
        case .tunnel:
            var state = seed
            Self.random(&p, count: Int(labels), alphabet: Self.base32Bytes, state: &state, labelLength: Self.tunnelLabel)
            p.pointee = UInt8(ascii: ".")
            p += 1
            host(&p, index)
        }
    }

    /// The name as text (`host` gives a host's name; `server` is the record's server).
    public func text(seed: UInt64, server: UInt32, host: (UInt32) -> String) -> String {
        if kind == .server { return host(server) }
        let capacity = 2 * Self.maxLength + 64
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity + 1024) { buffer in
            var p = buffer.baseAddress!
            write(&p, seed: seed) { p, index in Self.bytes(&p, Array(host(index).utf8)) }
            return String(decoding: UnsafeBufferPointer(start: buffer.baseAddress!, count: p - buffer.baseAddress!), as: UTF8.self)
        }
    }

    /// A key for the record's name in a dictionary of names: its host, its well-known name, or
    /// (machine-made names, each one of its own) its seed.
    @inline(__always)
    public func dictionaryKey(_ e: FlowEvent) -> UInt64 {
        switch kind {
        case .server: UInt64(e.dstHost)
        case .host: UInt64(index)
        case .popular: 1 << 32 | UInt64(index)
        case .lookup, .tunnel: 1 << 63 | e.nameSeed
        }
    }

    static let popularBytes: [[UInt8]] = popularDomains.map { Array($0.utf8) }
    static let base32Bytes: [UInt8] = Array(base32.utf8)

    @inline(__always)
    static func bytes(_ p: inout UnsafeMutablePointer<UInt8>, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
        p += bytes.count
    }

    /// `count` characters of `alphabet`, a dot after every `labelLength` of them (the dots count).
    static func random(_ p: inout UnsafeMutablePointer<UInt8>, count: Int, alphabet: [UInt8], state: inout UInt64, labelLength: Int) {
        var run = 0
        var bits: UInt64 = 0, left = 0
        for _ in 0..<count {
            if run == labelLength {
                p.pointee = UInt8(ascii: ".")
                p += 1
                run = 0
                continue
            }
            if left == 0 {
                bits = next(&state)
                left = 8
            }
            p.pointee = alphabet[Int((bits & 0xff) % UInt64(alphabet.count))]
            bits >>= 8
            left -= 1
            p += 1
            run += 1
        }
    }

    /// SplitMix64.
    @inline(__always)
    static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

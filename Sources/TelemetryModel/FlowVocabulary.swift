/// The strings flow records refer to by host index, shared by the generator and every encoder:
/// each host's name, and for hosts inside a VPC their identity (environment, region, security
/// group, VPC, subnet, account, interface).
public struct FlowVocabulary: Sendable {
    /// One host.
    public struct Host: Sendable, Hashable {
        /// `app_layer.host` when the host is the server (`web-17.internal.prod`, `dns.google`).
        public var name: String
        /// Index into ``FlowVocabulary/identities``; nil for hosts outside every VPC.
        public var identity: Int?
        /// 64 bits the host's interface and instance ids are written from.
        public var interfaceBits: UInt64
        /// The AWS service an outside host belongs to (`S3`), as VPC flow logs name it.
        public var awsService: String?

        public init(name: String, identity: Int?, interfaceBits: UInt64, awsService: String? = nil) {
            self.name = name
            self.identity = identity
            self.interfaceBits = interfaceBits
            self.awsService = awsService
        }
    }

    /// What a host inside a VPC shares with the others of its role and subnet.
    public struct Identity: Sendable, Hashable {
        /// `tags.env`.
        public var environment: String
        public var region: String
        /// `sg-` and six digits.
        public var securityGroup: String
        /// `vpc-` and 17 hex digits.
        public var vpcID: String
        public var subnetID: String
        /// 12 digits.
        public var accountID: String
        /// The zone id (`use1-az2`), or `-` when the region's name is not in AWS's form.
        public var zoneID: String

        public init(environment: String, region: String, securityGroup: String, vpcID: String, subnetID: String, accountID: String, zoneID: String) {
            self.environment = environment
            self.region = region
            self.securityGroup = securityGroup
            self.vpcID = vpcID
            self.subnetID = subnetID
            self.accountID = accountID
            self.zoneID = zoneID
        }
    }

    public var hosts: [Host]
    public var identities: [Identity]
    /// Written in `generator_id` on every record.
    public var generatorID: String

    public init(hosts: [Host], identities: [Identity], generatorID: String) {
        self.hosts = hosts
        self.identities = identities
        self.generatorID = generatorID
    }

    /// The host whose identity a record's tags carry: the client when it is inside a VPC, else the
    /// server (the interface that logged the flow).
    @inline(__always)
    public func observer(of event: FlowEvent) -> Int {
        hosts[Int(event.srcHost)].identity != nil ? Int(event.srcHost) : Int(event.dstHost)
    }

    /// `app_layer.host`: the server's name, or for DNS records the name queried.
    public func hostName(of event: FlowEvent) -> String {
        event.queryName.text(seed: event.nameSeed, server: event.dstHost) { hosts[Int($0)].name }
    }
}

import TelemetryModel

extension Topology {
    /// The strings records refer to: host names, and the identity of hosts inside VPCs (ids
    /// derived from the seed, so a host keeps them for the run and across runs with the seed).
    public func vocabulary(generatorID: String) -> FlowVocabulary {
        var identities: [FlowVocabulary.Identity] = []
        var identityIndex: [Int: Int] = [:]  // role << 16 | subnet
        var vocabularyHosts: [FlowVocabulary.Host] = []
        vocabularyHosts.reserveCapacity(hosts.count)
        for (index, host) in hosts.enumerated() {
            let role = roles[Int(host.role)]
            let name = hostName(index)
            var identity: Int?
            if host.isInternal {
                let key = Int(host.role) << 16 | Int(host.subnet)
                if let known = identityIndex[key] {
                    identity = known
                } else {
                    let subnet = subnets[Int(host.subnet)]
                    let vpc = vpcs[subnet.vpc]
                    let zone = Self.zonePrefix(vpc.region)
                    identities.append(FlowVocabulary.Identity(
                        environment: vpc.environment, region: vpc.region, securityGroup: "sg-" + Self.digits(role.securityGroup, width: 6),
                        vpcID: "vpc-0" + Self.hex(SeedMixer.mix(seed, 0x0f0c, FNV1a.hash(vpc.name))),
                        subnetID: "subnet-0" + Self.hex(SeedMixer.mix(seed, 0x5b5b, UInt64(subnet.cidr.network.value) << 8 | UInt64(subnet.cidr.prefixLength))),
                        accountID: vpc.account, zoneID: zone == "-" ? "-" : "\(zone)-az\(subnet.zone)"
                    ))
                    identity = identities.count - 1
                    identityIndex[key] = identity
                }
            }
            let service: String? = !role.isInternal && name.hasSuffix("amazonaws.com") ? (name.hasPrefix("s3") ? "S3" : "AMAZON") : nil
            vocabularyHosts.append(FlowVocabulary.Host(
                name: name, identity: identity, interfaceBits: SeedMixer.mix(seed, 0xe41, UInt64(index) << 32 | UInt64(host.address.value)),
                awsService: service
            ))
        }
        return FlowVocabulary(hosts: vocabularyHosts, identities: identities, generatorID: generatorID)
    }

    /// Host `index`'s name: `web-17.internal.prod` inside, its role's name outside (`dns.google`).
    public func hostName(_ index: Int) -> String {
        let host = hosts[index]
        let role = roles[Int(host.role)]
        return role.isInternal ? "\(role.names[0])-\(host.number).\(declaration.domain)" : role.names[(Int(host.number) - 1) % role.names.count]
    }

    /// The zone-id prefix of a region name (`us-east-1` -> `use1`, `ap-southeast-2` -> `apse2`),
    /// or `-` when the name is not in AWS's form.
    public static func zonePrefix(_ region: String) -> String {
        let parts = region.split(separator: "-")
        let directions = ["east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
                          "northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"]
        guard parts.count == 3, let direction = directions[String(parts[1])], parts[2].allSatisfy(\.isNumber) else { return "-" }
        return parts[0] + direction + parts[2]
    }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    static func digits(_ value: UInt32, width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// The templates the exporter announces: the flow template (id 256) and the options template
/// (id 257: sampling interval and algorithm, active and inactive timeouts).
enum NetFlowTemplate {
    static let flowID: UInt16 = 256
    static let optionsID: UInt16 = 257

    /// One field of a template: information element id, length (65535: variable, IPFIX only),
    /// enterprise number (IPFIX only).
    struct Field {
        var id: UInt16
        var length: UInt16
        var enterprise: UInt32?
    }

    /// The flow record's fixed fields, in order, with the byte lengths the encoder writes.
    /// v9 and IPFIX share the element ids; v9's first/last switched (22, 21, sysUpTime
    /// milliseconds) become IPFIX's flowStart/EndMilliseconds (152, 153, Unix milliseconds).
    static func flowFields(_ version: NetFlowExportOptions.Version) -> [Field] {
        let ipfix = version == .ipfix
        var fields = [
            Field(id: 8, length: 4), Field(id: 12, length: 4),  // source, destination IPv4 address
            Field(id: 7, length: 2), Field(id: 11, length: 2),  // source, destination port
            Field(id: 4, length: 1), Field(id: 5, length: 1),  // protocol, type of service
            Field(id: 6, length: ipfix ? 2 : 1),  // TCP flags
            Field(id: 2, length: 8), Field(id: 1, length: 8),  // packets, octets
            ipfix ? Field(id: 152, length: 8) : Field(id: 22, length: 4),  // first
            ipfix ? Field(id: 153, length: 8) : Field(id: 21, length: 4),  // last
            Field(id: 10, length: 4), Field(id: 14, length: 4),  // input, output interface
            Field(id: 16, length: 4), Field(id: 17, length: 4),  // source, destination AS
        ]
        if ipfix {
            let pen = NetFlowExportOptions.enterpriseNumber
            fields += [Field(id: 1, length: 0xFFFF, enterprise: pen), Field(id: 2, length: 0xFFFF, enterprise: pen), Field(id: 3, length: 0xFFFF, enterprise: pen)]
        }
        return fields
    }

    /// Bytes of a flow record's fixed fields.
    static func fixedLength(_ version: NetFlowExportOptions.Version) -> Int {
        flowFields(version).reduce(0) { $0 + ($1.length == 0xFFFF ? 0 : Int($1.length)) }
    }

    /// The options record's scope field (v9: System, 4 bytes; IPFIX: exportingProcessId) and its
    /// fields: samplingInterval (34), samplingAlgorithm (35, 1 = deterministic), flowActiveTimeout
    /// (36), flowIdleTimeout (37).
    static func optionsScope(_ version: NetFlowExportOptions.Version) -> Field { version == .ipfix ? Field(id: 144, length: 4) : Field(id: 1, length: 4) }
    static let optionFields = [Field(id: 34, length: 4), Field(id: 35, length: 1), Field(id: 36, length: 2), Field(id: 37, length: 2)]
    static let optionsRecordLength = 4 + 4 + 1 + 2 + 2
}

import Foundation
import KafkaTransport
import Logging
import TelemetryModel

/// Reads Kafka topics from their start to the end they had when reading began, into a
/// ``SlotLedger``: each message of a records topic is a record, each message of a dead-letter topic
/// a dead letter. Reads in a consumer group of its own and commits nothing. Blocking.
public struct TopicReader: Sendable {
    public var configuration: KafkaConsumerConfiguration
    public var deadLetterTopics: Set<String>
    /// Seconds to wait for the topics' partitions and their messages.
    public var timeout: Double

    public init(configuration: KafkaConsumerConfiguration, deadLetterTopics: Set<String>, timeout: Double) {
        var configuration = configuration
        configuration.groupID = "netchaos-verify-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        configuration.offsetReset = .earliest
        self.configuration = configuration
        self.deadLetterTopics = deadLetterTopics
        self.timeout = timeout
    }

    /// Reads every message up to the end marks; returns how many were read.
    public func read(into ledger: inout SlotLedger, logger: Logger) throws(KafkaError) -> Int {
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { consumer.close() }
        try consumer.connect()
        try consumer.subscribe()
        let deadline = Date(timeIntervalSinceNow: timeout)
        var ends: [KafkaTopicPartition: Int64] = [:]
        var next: [KafkaTopicPartition: Int64] = [:]
        var read = 0
        var assigned = false
        while true {
            let batch = consumer.poll(maxMessages: 4_096, timeout: 0.2)
            if let error = batch.errors.first { throw error }
            if !assigned {
                let partitions = consumer.assignment
                if !partitions.isEmpty {
                    assigned = true
                    for partition in partitions {
                        let marks = try consumer.queryWatermarks(partition)
                        ends[partition] = marks.high
                        if next[partition] == nil { next[partition] = marks.low }
                    }
                }
            }
            for index in 0..<batch.count {
                let message = batch[index]
                let partition = message.topicPartition
                if let end = ends[partition], message.offset >= end { continue }
                next[partition] = max(next[partition] ?? 0, message.offset + 1)
                read += 1
                if deadLetterTopics.contains(partition.topic) {
                    if let letter = DeadLetterLine(message.value) {
                        ledger.addDeadLetter(origin: letter.origin, reason: letter.reason, record: letter.record, slot: letter.slot)
                    } else {
                        ledger.addDeadLetter(origin: "\(partition.topic)/\(partition.partition)/\(message.offset)", reason: "unreadable_dead_letter", record: nil)
                    }
                } else if let slot = message.slotHeaders {
                    // Named by its headers: attributed however its value is mangled.
                    ledger.addRecord(slot: RecordSlot(generatorID: slot.generatorID, seq: slot.seq))
                } else {
                    ledger.addRecord(message.value)
                }
            }
            if assigned, ends.allSatisfy({ next[$0.key, default: 0] >= $0.value }) { return read }
            if Date() > deadline {
                let behind = ends.filter { next[$0.key, default: 0] < $0.value }.map { "\($0.key) at \(next[$0.key, default: 0]) of \($0.value)" }
                throw KafkaError(
                    code: -185, operation: "read \(configuration.topics.joined(separator: ","))",
                    message: assigned ? "not at the end after \(Int(timeout)) s: \(behind.sorted().joined(separator: ", "))" : "no partition assigned within \(Int(timeout)) s"
                )
            }
        }
    }
}

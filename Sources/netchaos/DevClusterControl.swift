import BlockingWork
import Foundation
import KafkaTransport

/// `netchaos kafka dev-cluster --control`: commands on stdin that change the running cluster
/// (a broker down or up, a partition's leader, a group's coordinator), each answered on stdout, so
/// a test can stage an outage and know when it happened.
struct DevClusterControl: Sendable {
    /// Its calls post to librdkafka's mock thread: safe from any thread.
    let cluster: KafkaMockCluster
    let brokers: Int

    func start() {
        DedicatedThread.start(named: "netchaos-control") {
            while let line = readLine() {
                Console.printLine(answer(line))
            }
        }
    }

    /// Carries out one command; the line to print.
    func answer(_ line: String) -> String {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first else { return "error: an empty command (down N, up N, leader TOPIC PARTITION N, coordinator GROUP N)" }
        switch (verb, words.count) {
        case ("down", 2), ("up", 2):
            guard let id = Int32(words[1]), (1...Int32(brokers)).contains(id) else { return "error: no broker \(words[1]) (1-\(brokers))" }
            if verb == "down" { cluster.setBrokerDown(id) } else { cluster.setBrokerUp(id) }
            return "ok \(verb) \(id)"
        case ("leader", 4):
            guard let partition = Int32(words[2]), partition >= 0, let id = Int32(words[3]), (1...Int32(brokers)).contains(id) else {
                return "error: leader TOPIC PARTITION N, with N of 1-\(brokers)"
            }
            cluster.setLeader(topic: words[1], partition: partition, broker: id)
            return "ok leader \(words[1]) \(partition) \(id)"
        case ("coordinator", 3):
            guard let id = Int32(words[2]), (1...Int32(brokers)).contains(id) else { return "error: coordinator GROUP N, with N of 1-\(brokers)" }
            cluster.setGroupCoordinator(group: words[1], broker: id)
            return "ok coordinator \(words[1]) \(id)"
        default:
            return "error: unknown command '\(line)' (down N, up N, leader TOPIC PARTITION N, coordinator GROUP N)"
        }
    }
}

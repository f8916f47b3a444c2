import TelemetryFormats

extension GeneratorConfiguration {
    /// What a file's metadata records about the run that wrote it (Parquet key-value metadata):
    /// enough to generate the same data again.
    var fileMetadata: [(key: String, value: String)] {
        let chaosJSON = """
            {"enabled":\(chaos.enabled),"latency_spike_prob":\(chaos.latencySpike),"error_rate_prob":\(chaos.connectionReset),\
            "data_exfil_prob":\(chaos.exfiltration),"malformed_prob":\(chaos.malformed),"drop_prob":\(chaos.drop),\
            "port_scan":{"enabled":\(chaos.portScan.enabled),"interval_sec":\(chaos.portScan.intervalSeconds),\
            "ports":\(chaos.portScan.ports),"spacing_ms":\(chaos.portScan.spacingMilliseconds)}}
            """
        let transactionChaosJSON = """
            {"enabled":\(transactionChaos.enabled),"duplicate_settlement_prob":\(transactionChaos.duplicateSettlement),\
            "currency_mismatch_prob":\(transactionChaos.currencyMismatch),"impossible_win_prob":\(transactionChaos.impossibleWinRatio)}
            """
        let switchChaosJSON = """
            {"enabled":\(switchChaos.enabled),"link_flap_prob":\(switchChaos.linkFlap),"congestion_prob":\(switchChaos.congestionSpike),\
            "error_burst_prob":\(switchChaos.errorBurst),"stale_prob":\(switchChaos.stale),"missing_prob":\(switchChaos.missing),\
            "switches":\(switchFleet.count),"interval_sec":\(switchFleet.interval)}
            """
        return [
            ("netchaos.dataset", dataset.rawValue),
            ("netchaos.seed", String(seed)),
            ("netchaos.generator_id", generatorID),
            ("netchaos.start_time", String(startTime)),
            ("netchaos.time_rate", String(timeRate)),
            ("netchaos.rate", rate.map { String($0) } ?? "max"),
            ("netchaos.chaos", dataset == .flow ? chaosJSON : dataset == .transactions ? transactionChaosJSON : switchChaosJSON),
        ]
    }
}

import TelemetryModel

/// Writes transactions as a Parquet file: ids and names as `STRING` (codes and names
/// dictionary-encoded), ids of the hierarchy as `INT32`, money as `DECIMAL(18, 6)` in an `INT64`,
/// `settled_at` as `TIMESTAMP(MILLIS, UTC)`, `anomalies` as a list of strings. Values equal the
/// JSON lines of the same seed. Used by one thread at a time (it spreads columns over threads).
public final class TransactionParquetEncoder: Sendable {
    static let money = ParquetLogicalType.decimal(precision: 18, scale: 6)

    public static let schema = ParquetSchema([
        .string("id", .required),
        .string("external_transaction_id", .required),
        .string("vendor_bet_id", .required),
        .string("round_id", .required),
        .int32("vendor_id", .required, dictionary: true),
        .string("vendor_code", .required, dictionary: true),
        .int32("vendor_line_id", .required, dictionary: true),
        .int32("game_category_id", .required, dictionary: true),
        .string("game_category", .required, dictionary: true),
        .int32("house_id", .required, dictionary: true),
        .int32("master_agent_id", .required, dictionary: true),
        .int32("agent_id", .required, dictionary: true),
        .int32("currency_id", .required, dictionary: true),
        .string("currency_code", .required, dictionary: true),
        .int64("bet_amount", .required, money),
        .int64("win_amount", .required, money),
        .int64("win_loss", .required, money),
        .int64("exchange_rate", .required, money, dictionary: true),
        .int64("bet_amount_usd", .required, money),
        .int64("win_loss_usd", .required, money),
        .int64("settled_at", .required, .timestampMillis),
        .string("label", .required, dictionary: true),
        .stringList("anomalies", .required),
        .string("generator_id", .required, dictionary: true),
        .int64("seq", .required),
    ])

    public let writer: ParquetFileWriter
    private let reference: TransactionReference
    private let generatorID: String
    private let c: [ParquetColumnWriter]

    public init(reference: TransactionReference, generatorID: String, options: ParquetWriterOptions) {
        self.reference = reference
        self.generatorID = generatorID
        writer = ParquetFileWriter(schema: Self.schema, options: options)
        c = writer.columns
    }

    /// Appends `count` records; full row groups are written to `out`.
    public func append(_ records: UnsafePointer<Transaction>, count: Int, into out: inout WriteBuffer) {
        writer.append(records, count: count, into: &out) { encodeColumn($0, $1) }
    }

    /// Writes the last row group and the footer.
    public func finish(into out: inout WriteBuffer) { writer.finish(into: &out) }

    private func encodeColumn(_ index: Int, _ records: UnsafeBufferPointer<Transaction>) {
        let reference = reference
        @inline(__always) func text(_ prefix: StaticString, _ body: (Transaction, inout UnsafeMutablePointer<UInt8>) -> Void) {
            c[index].batch { s in
                for t in records {
                    s.append(key: 0) { buffer in
                        buffer.reserve(64)
                        buffer.withWriter { p in
                            var q = p
                            ByteWriting.literal(&q, prefix)
                            body(t, &q)
                            return q
                        }
                    }
                }
            }
        }
        @inline(__always) func int32(_ value: (Transaction) -> Int) {
            c[index].batch { s in for t in records { s.append(Int32(truncatingIfNeeded: value(t))) } }
        }
        @inline(__always) func int64(_ value: (Transaction) -> Int64) {
            c[index].batch { s in for t in records { s.append(value(t)) } }
        }
        @inline(__always) func name(_ key: (Transaction) -> Int, _ value: (Int) -> String) {
            c[index].batch { s in
                for t in records {
                    let k = key(t)
                    s.append(key: UInt64(k)) { $0.append(value(k)) }
                }
            }
        }
        switch index {
        case 0:
            text("TXN-") { t, q in
                ByteWriting.compactDate(&q, millis: t.settledAt)
                ByteWriting.byte(&q, UInt8(ascii: "-"))
                ByteWriting.padded(&q, t.seq, width: 8)
            }
        case 1:
            c[1].batch { s in
                for t in records {
                    s.append(key: 0) { buffer in
                        buffer.append("EXT-")
                        buffer.append(reference.vendors[Int(t.vendor)].code)
                        buffer.append("-")
                        buffer.reserve(24)
                        buffer.withWriter { p in
                            var q = p
                            ByteWriting.padded(&q, t.betNumber, width: 8)
                            return q
                        }
                    }
                }
            }
        case 2: text("BET-") { t, q in ByteWriting.padded(&q, t.betNumber, width: 8) }
        case 3: text("ROUND-") { t, q in ByteWriting.padded(&q, t.betNumber / 10, width: 8) }
        case 4: int32 { reference.vendors[Int($0.vendor)].id }
        case 5: name({ Int($0.vendor) }) { reference.vendors[$0].code }
        case 6: int32 { Int($0.vendorLineID) }
        case 7: int32 { reference.gameCategories[Int($0.gameCategory)].id }
        case 8: name({ Int($0.gameCategory) }) { reference.gameCategories[$0].name }
        case 9: int32 { reference.agents[Int($0.agent)].houseID }
        case 10: int32 { reference.agents[Int($0.agent)].masterAgentID }
        case 11: int32 { reference.agents[Int($0.agent)].agentID }
        case 12: int32 { reference.currencies[Int($0.currency)].id }
        case 13: name({ Int($0.currencyCode) }) { reference.currencies[$0].code }
        case 14: int64 { $0.betMicros }
        case 15: int64 { $0.winMicros }
        case 16: int64 { $0.winLossMicros }
        case 17: int64 { $0.rateMicros }
        case 18: int64 { $0.betUSDMicros }
        case 19: int64 { $0.winLossUSDMicros }
        case 20: int64 { $0.settledAt }
        case 21: name({ Int($0.anomalies.primaryLabel.rawValue) }) { AnomalyLabel(rawValue: UInt8($0))!.name }
        case 22:
            c[22].batch { s in
                for t in records { s.appendAnomalies(t.anomalies) }
            }
        case 23:
            let generatorID = generatorID
            c[23].batch { s in for _ in records { s.append(key: 0) { $0.append(generatorID) } } }
        case 24: int64 { $0.seq }
        default:
            preconditionFailure("transactions schema has no column \(index)")
        }
    }
}

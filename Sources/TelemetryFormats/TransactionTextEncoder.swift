import TelemetryModel

/// Writes transactions as JSON lines or CSV rows: the message producer's fields in its order (ids, vendor,
/// game category, agent hierarchy, currency, decimal amounts with six places, `settled_at` in
/// RFC 3339), then the conversion to US dollars with the currency's rate, the ground truth
/// (`label`, `anomalies`) and the lineage (`generator_id`, `seq`).
public final class TransactionTextEncoder: Sendable {
    public enum Style: Sendable { case json, csv }

    /// The fields, in order (CSV columns; JSON keys).
    public static let fields = [
        "id", "external_transaction_id", "vendor_bet_id", "round_id", "vendor_id", "vendor_code", "vendor_line_id",
        "game_category_id", "game_category", "house_id", "master_agent_id", "agent_id", "currency_id", "currency_code",
        "bet_amount", "win_amount", "win_loss", "exchange_rate", "bet_amount_usd", "win_loss_usd", "settled_at",
        "label", "anomalies", "generator_id", "seq",
    ]

    /// The CSV header line.
    public static var csvHeader: [UInt8] { Array((fields.joined(separator: ",") + "\n").utf8) }

    let style: Style
    let tables: TransactionTables
    public let maxRecordBytes: Int

    public init(reference: TransactionReference, generatorID: String, style: Style) {
        self.style = style
        tables = TransactionTables(reference, generatorID: generatorID, escape: style == .json ? StringTable.jsonEscaped : StringTable.csvField)
        maxRecordBytes = 1100 + tables.maxRecordBytes
    }

    /// Appends `count` records and stores, for each, the buffer offset just past its newline.
    public func encode(_ records: UnsafePointer<Transaction>, count: Int, into buffer: inout WriteBuffer, recordEnds: UnsafeMutablePointer<Int>) {
        buffer.reserve(count * maxRecordBytes)
        let base = buffer.base
        buffer.withWriter { start in
            var p = start
            for i in 0..<count {
                write(&p, records[i])
                recordEnds[i] = p - base
            }
            return p
        }
    }

    @inline(__always)
    private func write(_ p: inout UnsafeMutablePointer<UInt8>, _ t: Transaction) {
        let json = style == .json
        var index = 0
        /// Starts field `name`: `{"name":` / `,"name":` in JSON, a comma in CSV.
        @inline(__always) func field(_ name: StaticString) {
            if json {
                ByteWriting.literal(&p, index == 0 ? "{\"" : ",\"")
                ByteWriting.literal(&p, name)
                ByteWriting.literal(&p, "\":")
            } else if index > 0 {
                ByteWriting.byte(&p, UInt8(ascii: ","))
            }
            index += 1
        }
        @inline(__always) func quote() { if json { ByteWriting.byte(&p, UInt8(ascii: "\"")) } }
        let vendorCode = Int(t.vendor)
        let agent = tables.agents[Int(t.agent)]

        field("id")
        quote()
        ByteWriting.literal(&p, "TXN-")
        ByteWriting.compactDate(&p, millis: t.settledAt)
        ByteWriting.byte(&p, UInt8(ascii: "-"))
        ByteWriting.padded(&p, t.seq, width: 8)
        quote()
        field("external_transaction_id")
        quote()
        ByteWriting.literal(&p, "EXT-")
        tables.vendorCodes.write(&p, vendorCode)
        ByteWriting.byte(&p, UInt8(ascii: "-"))
        ByteWriting.padded(&p, t.betNumber, width: 8)
        quote()
        field("vendor_bet_id")
        quote()
        ByteWriting.literal(&p, "BET-")
        ByteWriting.padded(&p, t.betNumber, width: 8)
        quote()
        field("round_id")
        quote()
        ByteWriting.literal(&p, "ROUND-")
        ByteWriting.padded(&p, t.betNumber / 10, width: 8)
        quote()
        field("vendor_id")
        ByteWriting.signed(&p, tables.vendorIDs[vendorCode])
        field("vendor_code")
        quote()
        tables.vendorCodes.write(&p, vendorCode)
        quote()
        field("vendor_line_id")
        ByteWriting.signed(&p, Int64(t.vendorLineID))
        field("game_category_id")
        ByteWriting.signed(&p, tables.categoryIDs[Int(t.gameCategory)])
        field("game_category")
        quote()
        tables.categoryNames.write(&p, Int(t.gameCategory))
        quote()
        field("house_id")
        ByteWriting.signed(&p, agent.house)
        field("master_agent_id")
        ByteWriting.signed(&p, agent.master)
        field("agent_id")
        ByteWriting.signed(&p, agent.agent)
        field("currency_id")
        ByteWriting.signed(&p, tables.currencyIDs[Int(t.currency)])
        field("currency_code")
        quote()
        tables.currencyCodes.write(&p, Int(t.currencyCode))
        quote()
        @inline(__always) func amount(_ name: StaticString, _ value: Int64) {
            field(name)
            quote()
            ByteWriting.micros(&p, value)
            quote()
        }
        amount("bet_amount", t.betMicros)
        amount("win_amount", t.winMicros)
        amount("win_loss", t.winLossMicros)
        amount("exchange_rate", t.rateMicros)
        amount("bet_amount_usd", t.betUSDMicros)
        amount("win_loss_usd", t.winLossUSDMicros)
        field("settled_at")
        quote()
        ByteWriting.rfc3339(&p, millis: t.settledAt)
        quote()
        GroundTruthFields.write(&p, anomalies: t.anomalies, generatorID: tables.generatorID, seq: t.seq, json: json)
    }
}

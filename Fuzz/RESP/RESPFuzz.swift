import NIOCore

// MARK: - libFuzzer entry point

/// Fuzzes ``RESPParser`` (compiled into this module from `Sources/RedisClient` through symlinks,
/// so its internal API is reachable) with real SwiftNIO `ByteBuffer`s.
///
/// The first input byte chooses where the rest is cut in two; the rest is the stream of RESP2
/// bytes. Properties, beyond "never traps":
/// 1. Fed whole, or in two pieces cut at that point, the parser returns the same values and then
///    the same outcome (a whole stream, an incomplete tail, or the same `Failure`).
/// 2. `parse` and `skip` consume nothing when they return nil (no value yet), and never read
///    beyond the buffer's readable bytes.
/// 3. Every value read, written back canonically, parses again to the same value with exactly
///    those bytes consumed, and `skip` moves past exactly those bytes, telling an error reply
///    from any other; when the bytes read were canonical already, `skip` on them agrees too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let stream = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let cut = stream.count * Int(data[0]) / 255

    let whole = RESPStreamReading.read([stream[...]])
    let split = RESPStreamReading.read([stream[..<cut], stream[cut...]])
    FuzzCheck.require(
        whole == split,
        "whole and split at \(cut) differ: \(whole.summary) vs \(split.summary)"
    )
    for (value, consumed) in zip(whole.values, whole.consumed) {
        RESPStreamReading.checkRoundTrip(value, readFrom: consumed)
    }
    return 0
}

// MARK: - Reading a stream

/// What reading a stream gave: the values in order (with the bytes each took), and how it ended.
struct RESPStreamReading: Equatable {
    enum End: Equatable {
        /// Every byte was read.
        case complete
        /// Bytes are left that do not make a whole value yet.
        case incomplete(leftover: Int)
        case failure(RESPParser.Failure)
    }

    var values: [RESPValue] = []
    var consumed: [[UInt8]] = []
    var end = End.complete

    var summary: String { "\(values.count) values, \(end)" }

    /// Feeds `pieces` one after another into one buffer, reading every whole value after each.
    static func read(_ pieces: [UnsafeBufferPointer<UInt8>.SubSequence]) -> RESPStreamReading {
        var parser = RESPParser()
        var buffer = ByteBuffer()
        var out = RESPStreamReading()
        for piece in pieces {
            buffer.writeBytes(UnsafeBufferPointer(rebasing: piece))
            while true {
                let before = buffer
                let value: RESPValue?
                do throws(RESPParser.Failure) {
                    value = try parser.parse(&buffer)
                } catch {
                    out.end = .failure(error)
                    return out
                }
                guard let value else {
                    FuzzCheck.require(buffer == before && buffer.readerIndex == before.readerIndex, "parse returned nil but moved the buffer")
                    break
                }
                let taken = before.readerIndex..<buffer.readerIndex
                FuzzCheck.require(!taken.isEmpty && buffer.writerIndex == before.writerIndex, "parse read a value from no bytes")
                out.values.append(value)
                out.consumed.append(before.getBytes(at: taken.lowerBound, length: taken.count) ?? [])
            }
        }
        out.end = buffer.readableBytes == 0 ? .complete : .incomplete(leftover: buffer.readableBytes)
        return out
    }

    // MARK: - Round trip and skip

    /// Property 3 for one value read from `bytes`.
    static func checkRoundTrip(_ value: RESPValue, readFrom bytes: [UInt8]) {
        var canonical: [UInt8] = []
        RESPCanonical.write(value, into: &canonical)

        var buffer = ByteBuffer(bytes: canonical)
        var parser = RESPParser()
        do throws(RESPParser.Failure) {
            let again = try parser.parse(&buffer)
            FuzzCheck.require(again == value, "canonical bytes \(FuzzCheck.hex(canonical)) read back as \(String(describing: again)), not \(value)")
            FuzzCheck.require(buffer.readableBytes == 0, "canonical bytes read back with \(buffer.readableBytes) bytes left")
        } catch {
            FuzzCheck.fail("canonical bytes \(FuzzCheck.hex(canonical)) of \(value) refused: \(error)")
        }

        checkSkip(canonical, value: value)
        if canonical == bytes { return }
        // Bytes parse accepted in a form of its own (a `+` sign, leading zeros, a lone CR, text
        // that is not UTF-8): skip may refuse them, but must not take a different length.
        var original = ByteBuffer(bytes: bytes)
        if let reply = try? RESPParser.skip(&original) {
            FuzzCheck.require(original.readableBytes == 0, "skip took \(bytes.count - original.readableBytes) of the \(bytes.count) bytes parse took: \(FuzzCheck.hex(bytes))")
            if case .error(let message) = value {
                FuzzCheck.require(reply == message, "skip told error \(String(describing: reply)), parse \(message)")
            } else {
                FuzzCheck.require(reply == nil, "skip called \(value) an error")
            }
        }
    }

    /// `skip` on the canonical bytes of `value`: whole, and with every shorter prefix nil.
    private static func checkSkip(_ canonical: [UInt8], value: RESPValue) {
        var buffer = ByteBuffer(bytes: canonical)
        do throws(RESPParser.Failure) {
            guard let reply = try RESPParser.skip(&buffer) else {
                FuzzCheck.fail("skip found no whole reply in the canonical bytes \(FuzzCheck.hex(canonical))")
            }
            FuzzCheck.require(buffer.readableBytes == 0, "skip left \(buffer.readableBytes) of the canonical bytes \(FuzzCheck.hex(canonical))")
            if case .error(let message) = value {
                FuzzCheck.require(reply == message, "skip told error \(String(describing: reply)), parse \(message)")
            } else {
                FuzzCheck.require(reply == nil, "skip called \(value) an error")
            }
        } catch {
            FuzzCheck.fail("skip refused the canonical bytes \(FuzzCheck.hex(canonical)) of \(value): \(error)")
        }
        // A prefix cut anywhere (one, chosen from the length, keeps this cheap) is not whole yet.
        guard canonical.count > 1 else { return }
        let cut = (canonical.count * 7 + 3) % canonical.count
        var prefix = ByteBuffer(bytes: canonical[..<cut])
        let before = prefix
        do throws(RESPParser.Failure) {
            let reply = try RESPParser.skip(&prefix)
            FuzzCheck.require(reply == nil, "skip found a whole reply in the first \(cut) of \(FuzzCheck.hex(canonical))")
            FuzzCheck.require(prefix == before, "skip returned nil but moved the buffer")
        } catch {
            FuzzCheck.fail("skip refused the first \(cut) canonical bytes of \(FuzzCheck.hex(canonical)): \(error)")
        }
    }
}

// MARK: - Canonical writing

/// RESP2 as Redis writes it, written here independently of the project's encoder.
enum RESPCanonical {
    static func write(_ value: RESPValue, into out: inout [UInt8]) {
        switch value {
        case .simpleString(let text):
            line(UInt8(ascii: "+"), Array(text.utf8), into: &out)
        case .error(let text):
            line(UInt8(ascii: "-"), Array(text.utf8), into: &out)
        case .integer(let number):
            line(UInt8(ascii: ":"), Array(String(number).utf8), into: &out)
        case .bulkString(nil):
            line(UInt8(ascii: "$"), Array("-1".utf8), into: &out)
        case .bulkString(let bytes?):
            line(UInt8(ascii: "$"), Array(String(bytes.count).utf8), into: &out)
            out.append(contentsOf: bytes)
            out.append(contentsOf: [0x0D, 0x0A])
        case .array(nil):
            line(UInt8(ascii: "*"), Array("-1".utf8), into: &out)
        case .array(let elements?):
            line(UInt8(ascii: "*"), Array(String(elements.count).utf8), into: &out)
            for element in elements { write(element, into: &out) }
        }
    }

    private static func line(_ kind: UInt8, _ text: [UInt8], into out: inout [UInt8]) {
        out.append(kind)
        out.append(contentsOf: text)
        out.append(contentsOf: [0x0D, 0x0A])
    }
}

/// Turns raw bytes into text: UTF-8 when valid (a byte-order mark is dropped), else Windows-1252, flagged.
/// Binary data (NUL bytes or many control characters) is refused.
enum TextDecoding {
    struct Decoded {
        var text: String
        var warnings: [String]
    }

    static func decode(_ bytes: [UInt8]) -> Result<Decoded, ParseFailure> {
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) { content = content.dropFirst(3) }
        if content.isEmpty || content.allSatisfy({ $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) {
            return .failure(ParseFailure(.empty, "the input has no text (\(bytes.count) bytes of white space or nothing)"))
        }
        if content.starts(with: [0xFF, 0xFE]) || content.starts(with: [0xFE, 0xFF]) {
            return .failure(ParseFailure(.notText, "UTF-16 text is not supported; convert the file to UTF-8"))
        }
        let sample = content.prefix(8192)
        let (nul, controls) = sample.withUnsafeBufferPointer(Self.countControls)
        if nul * 100 > sample.count || controls * 10 > sample.count {
            return .failure(ParseFailure(
                .notText, "binary data, not text (\(nul) NUL and \(controls) control bytes in the first \(sample.count))"))
        }
        if let text = String(validating: content, as: UTF8.self) {
            return .success(Decoded(text: text, warnings: []))
        }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(content.count)
        for byte in content { scalars.append(Windows1252.scalar(byte)) }
        return .success(Decoded(text: String(scalars), warnings: ["input was not valid UTF-8; decoded as windows-1252"]))
    }
}

extension TextDecoding {
    /// NUL bytes and other control bytes (not tab, line feed, vertical tab, form feed or carriage
    /// return). Eight bytes at a time are skipped when none is below 0x20 or 0x7F, as in any text.
    static func countControls(_ bytes: UnsafeBufferPointer<UInt8>) -> (nul: Int, controls: Int) {
        var nul = 0
        var controls = 0
        func count(_ byte: UInt8) {
            if byte == 0 { nul += 1 } else if byte < 0x09 || (byte > 0x0D && byte < 0x20) || byte == 0x7F { controls += 1 }
        }
        guard let base = bytes.baseAddress else { return (0, 0) }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= bytes.count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            let deletes = word ^ (ones &* 0x7F)
            let suspicious = (word &- ones &* 0x20) & ~word & highs != 0 || (deletes &- ones) & ~deletes & highs != 0
            if suspicious { for offset in 0..<8 { count(base[index + offset]) } }
            index += 8
        }
        while index < bytes.count {
            count(base[index])
            index += 1
        }
        return (nul, controls)
    }
}

/// The Windows-1252 code page: Latin-1 plus typographic characters in 0x80–0x9F.
enum Windows1252 {
    private static let high: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        if byte >= 0x80 && byte <= 0x9F, let scalar = Unicode.Scalar(high[Int(byte - 0x80)]) { return scalar }
        return Unicode.Scalar(byte)
    }
}

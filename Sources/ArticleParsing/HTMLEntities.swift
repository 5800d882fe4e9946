/// Decodes HTML character references: `&amp;`, `&#8217;`, `&#x2019;` and the common named ones.
enum HTMLEntities {
    private static let named: [Substring: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "hellip": "…", "copy": "©", "reg": "®",
        "trade": "™", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "deg": "°", "middot": "·",
        "bull": "•", "laquo": "«", "raquo": "»", "eacute": "é", "egrave": "è", "aacute": "á", "agrave": "à",
        "iacute": "í", "oacute": "ó", "uacute": "ú", "ntilde": "ñ", "ccedil": "ç", "uuml": "ü", "ouml": "ö",
        "auml": "ä", "szlig": "ß", "Eacute": "É", "Uuml": "Ü", "Ouml": "Ö", "Auml": "Ä", "times": "×",
        "shy": "", "zwj": "", "zwnj": "", "thinsp": " ", "ensp": " ", "emsp": " ",
    ]

    /// `text` with every recognised reference replaced; unknown ones are left as written.
    static func decode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest.index(after: amp)
            let window = rest[after...].prefix(12)
            if let semicolon = window.firstIndex(of: ";"), let decoded = reference(rest[after..<semicolon]) {
                result += decoded
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest[after...]
            }
        }
        result += rest
        return result
    }

    /// The text of one reference given by its name (`amp`, `#8217`, `#x2019`), if recognised.
    static func reference(_ name: Substring) -> String? {
        if name.first == "#" {
            let digits = name.dropFirst()
            let value: UInt32?
            if digits.first == "x" || digits.first == "X" {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits)
            }
            guard let value else { return nil }
            // Numeric references to 0x80–0x9F mean Windows-1252 in practice (the HTML5 rule).
            if value >= 0x80 && value <= 0x9F { return String(Character(Windows1252.scalar(UInt8(value)))) }
            guard let scalar = Unicode.Scalar(value), value != 0 else { return "\u{FFFD}" }
            return String(Character(scalar))
        }
        return named[name]
    }
}

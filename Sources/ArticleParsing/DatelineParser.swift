import Foundation

/// Recognises datelines: on a line of their own (`Baku, Azerbaijan, Sept. 23`) or opening the first
/// paragraph of a wire story (`PORTLAND, Ore., Feb 26 - `, `BAKU, Azerbaijan (AP) — `, `ATLANTA -- `,
/// `ROME 1996-12-06 - `). One to three place parts, month names in any case with or without a period, the
/// day before or after the month, an optional year; the year otherwise comes from the article's date.
enum DatelineParser {
    struct Found {
        var dateline: DatelineParts
        /// For a lede: the body text after the dateline and its separator.
        var rest: Substring?
    }

    struct DatelineParts {
        var text: String
        var places: [String]
        var month: Int?
        var day: Int?
        var year: Int?
        var agency: String?
    }

    private static let agencies: Set<String> = [
        "AP", "REUTERS", "REUTER", "AFP", "UPI", "CNN", "DPA", "XINHUA", "BLOOMBERG", "ANI", "PTI", "IANS", "EFE",
        "ANSA", "TASS", "KYODO", "YONHAP", "BBC", "NYT", "WPS", "AP PHOTO", "CNS", "TRT", "IRNA",
    ]

    /// A dateline standing alone on its line.
    static func standalone(_ line: String) -> DatelineParts? {
        // A standalone dateline ends with its date: a day or year (`Sept. 23`, `Feb 26, 1987`) or a month
        // (`23 Sept.`). Lines that end otherwise, like the first line of a wrapped paragraph, are not tried.
        guard line.utf8.count <= 120, let last = line.utf8.last(where: { $0 != 0x20 }) else { return nil }
        let endsWithDigit = last >= 0x30 && last <= 0x39
        guard endsWithDigit || Months.number(Self.lastWord(line)) != nil,
              let parts = parse(line[...], requireMarker: false)
        else { return nil }
        guard parts.month != nil else { return nil }
        return parts
    }

    /// The text after the last space (trailing spaces ignored), found on bytes.
    private static func lastWord(_ line: String) -> Substring {
        let utf8 = line.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        var start = end
        while start > utf8.startIndex, utf8[utf8.index(before: start)] != 0x20 { start = utf8.index(before: start) }
        return line[start..<end]
    }

    /// A dateline opening a paragraph, with the text after it.
    static func lede(_ paragraph: String) -> Found? {
        for separator in separators(paragraph) {
            guard let parts = parse(separator.before, requireMarker: true), !separator.glued || isSure(parts) else {
                // A dash glued to a word (`March 2 -The`, `Feb 26- Net`) only counts after a date and a city
                // in capitals or known as a place; the first spaced dash decides, as it always has.
                if separator.glued { continue }
                return nil
            }
            var found = Found(dateline: parts, rest: separator.after)
            // `KANSAS CITY, Mo. - March 13 - ...`: the date after a second dash belongs to the dateline.
            if parts.month == nil, let after = separator.after, let next = separators(String(after)).first, !next.glued,
               case let words = next.before.split(separator: " ").map(String.init), words.count == 2,
               let date = trailingDate(words) {
                found.dateline.month = date.month
                found.dateline.day = date.day
                found.dateline.text += " - " + next.before
                found.rest = next.after
            }
            return found
        }
        return nil
    }

    /// A dateline with a date whose city is in capitals (`MONTREAL`) or a known place.
    private static func isSure(_ parts: DatelineParts) -> Bool {
        guard parts.month != nil, let city = parts.places.first else { return false }
        return (city == city.uppercased() && city.contains(where: \.isLetter)) || Gazetteer.isPlace(key: Gazetteer.key(city))
    }

    private struct Separator {
        var before: Substring
        var after: Substring?
        /// The dash touches a word on one side (`2 -The`, `26- Net`).
        var glued: Bool
    }

    /// The dashes that may end a lede dateline within the first 140 characters, in order: ` - `, ` -- `,
    /// ` — `, ` – `, `—` right after `)`, and a hyphen glued to one side. Stops at the first spaced one, or
    /// at a sentence end or quote. Works on UTF-8 bytes: this runs once per article.
    private static func separators(_ paragraph: String) -> [Separator] {
        let utf8 = paragraph.utf8
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        var characters = 0
        for byte in utf8 {
            if byte & 0xC0 != 0x80 {
                if characters == 140 { break }
                characters += 1
            }
            bytes.append(byte)
        }
        let space = UInt8(ascii: " ")
        var found: [Separator] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // `-`, or `—` (E2 80 94) / `–` (E2 80 93).
            let isHyphen = byte == UInt8(ascii: "-")
            let isLongDash = byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0x94 || bytes[index + 2] == 0x93)
            if isHyphen || isLongDash {
                var after = index + (isHyphen ? 1 : 3)
                if isHyphen, after < bytes.count, bytes[after] == UInt8(ascii: "-") { after += 1 }
                let previous = index > 0 ? bytes[index - 1] : nil
                let spacedBefore = previous == space || previous == UInt8(ascii: ")") || !isHyphen
                let spacedAfter = after == bytes.count || bytes[after] == space
                // A hyphen inside a word (`Nagorno-Karabakh`) is not a separator; one with a space on one
                // side may be.
                if index > 0 && (spacedBefore || spacedAfter) {
                    let candidate = String(decoding: bytes[..<index], as: UTF8.self).trimmingSpaces
                    var rest = paragraph[utf8.index(utf8.startIndex, offsetBy: after)...]
                    while rest.first == " " { rest = rest.dropFirst() }
                    let glued = !(spacedBefore && spacedAfter)
                    found.append(Separator(before: Substring(candidate), after: rest, glued: glued))
                    if !glued { return found }
                }
            }
            // A sentence end or a quote before any dash: no lede dateline. (Periods are allowed: they end
            // abbreviations inside the place or date, `Ore.`, `Sept.`.)
            if byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "\"") { return found }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0x9C { return found }
            index += 1
        }
        return found
    }

    /// Parses `Place[, Place[, Place]][,] [date] [(Agency)]`.
    private static func parse(_ candidate: Substring, requireMarker: Bool) -> DatelineParts? {
        var text = withoutWireCodes(candidate.trimmingSpaces)
        guard !text.isEmpty, let first = text.unicodeScalars.first else { return nil }
        // `des moines, march 3 - `: a dateline in lower case, as some wires send whole stories, counts when
        // it has a date and its first place is a known one (body text in lower case must not pass).
        let lowerCase = !first.properties.isUppercase
        guard !lowerCase || (first.properties.isLowercase && text == text.lowercased()) else { return nil }
        var agency: String? = nil
        if text.hasSuffix(")"), let open = text.lastIndex(of: "(") {
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
            guard inside.count <= 24 else { return nil }
            agency = String(inside)
            text = text[..<open].trimmingSpaces
        } else if case let last = lastWord(text), !last.isEmpty, agencies.contains(last.uppercased()), text.count > last.count {
            agency = String(last)
            text = String(text.dropLast(last.count)).trimmingSpaces
        }
        if text.hasSuffix(",") { text.removeLast() }
        var parts = text.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        guard !parts.isEmpty, parts.count <= 5 else { return nil }
        var year: Int? = nil
        var month: Int? = nil
        var day: Int? = nil
        if let last = parts.last, last.count == 4, let value = Int(last), (1800...2200).contains(value), parts.count > 1 {
            year = value
            parts.removeLast()
        }
        if let last = parts.last {
            let words = last.split(separator: " ").map(String.init)
            if let date = trailingDate(words) {
                (month, day) = (date.month, date.day)
                year = date.year ?? year
                let placeWords = words.dropLast(date.wordCount)
                parts.removeLast()
                if !placeWords.isEmpty { parts.append(placeWords.joined(separator: " ")) }
            }
        }
        guard (1...3).contains(parts.count) else { return nil }
        for part in parts {
            guard isPlaceName(lowerCase ? part.capitalized : part) else { return nil }
        }
        if lowerCase {
            guard month != nil, let city = parts.first, Gazetteer.isPlace(key: Gazetteer.key(city)) else { return nil }
        }
        if requireMarker && month == nil && agency == nil {
            // Without a date or agency, only an all-capitals city (`ATLANTA --`) marks a dateline.
            guard let city = parts.first, city.count >= 3, city == city.uppercased(),
                  city.contains(where: { $0.isLetter })
            else { return nil }
        }
        return DatelineParts(
            text: withoutWireCodes(candidate.trimmingSpaces), places: parts, month: month, day: day, year: year,
            agency: agency)
    }

    /// The text without what wire systems put before a dateline: a run of `*` or `#` (`****LONDON`), or a
    /// one-letter code set apart by spaces (`c    CHICAGO`).
    private static func withoutWireCodes(_ text: String) -> String {
        var text = Substring(text)
        while let first = text.first, first == "*" || first == "#" { text = text.dropFirst() }
        if text.count > 4, let first = text.first, first.isLetter, first.isLowercase,
           text.dropFirst().prefix(2) == "  " {
            text = text.dropFirst().drop(while: { $0 == " " })
        }
        return String(text)
    }

    /// A date at the end of a word list: `Feb 26`, `Sept. 23`, `26 Feb`, `1996-12-06`. Returns how many words
    /// it took.
    private static func trailingDate(_ words: [String]) -> (month: Int, day: Int, year: Int?, wordCount: Int)? {
        guard let last = words.last else { return nil }
        if let iso = DateText.parseISO(last) {
            return (iso.month, iso.day, iso.year, 1)
        }
        guard words.count >= 2 else { return nil }
        let previous = words[words.count - 2]
        if let day = Int(last.filter { $0.isNumber }), (1...31).contains(day),
           let month = Months.number(previous) {
            return (month, day, nil, 2)
        }
        if let month = Months.number(last), let day = Int(previous), (1...31).contains(day) {
            return (month, day, nil, 2)
        }
        return nil
    }

    /// A plausible place name: 1–4 words, starting with a capital, letters and `. ' ’ - & /` only
    /// (`DALLAS/FORT WORTH`).
    private static func isPlaceName(_ part: String) -> Bool {
        if part.utf8.allSatisfy({ $0 < 0x80 }) { return isASCIIPlaceName(part.utf8) }
        let words = part.split(separator: " ")
        guard (1...4).contains(words.count), let first = part.unicodeScalars.first, first.properties.isUppercase
        else { return false }
        for character in part where !(character.isLetter || " .'’-&/".contains(character)) { return false }
        return true
    }

    /// ``isPlaceName(_:)`` on ASCII, byte by byte.
    private static func isASCIIPlaceName(_ part: String.UTF8View) -> Bool {
        guard let first = part.first, first >= 0x41 && first <= 0x5A else { return false }
        var words = 0
        var inWord = false
        for byte in part {
            if byte == 0x20 {
                inWord = false
                continue
            }
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            guard isLetter || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "/")
            else { return false }
            if !inWord {
                words += 1
                inWord = true
            }
        }
        return words <= 4
    }
}

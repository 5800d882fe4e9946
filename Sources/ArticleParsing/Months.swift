/// English month names in the forms datelines use: full, three-letter, AP (`Sept.`), any letter case,
/// with or without a period.
enum Months {
    private static let table: [String: Int] = {
        let names = [
            ["january", "jan"], ["february", "feb"], ["march", "mar"], ["april", "apr"], ["may"],
            ["june", "jun"], ["july", "jul"], ["august", "aug"], ["september", "sep", "sept"],
            ["october", "oct"], ["november", "nov"], ["december", "dec"],
        ]
        var table: [String: Int] = [:]
        for (index, forms) in names.enumerated() {
            for form in forms { table[form] = index + 1 }
        }
        return table
    }()

    /// The month number of a word like `Sept.`, `FEb`, `MArch`, or `nil`.
    static func number<S: StringProtocol>(_ word: S) -> Int? {
        var key = word.lowercased()
        if key.hasSuffix(".") { key.removeLast() }
        return table[key]
    }
}

/// Calendar dates found in text, as ISO 8601.
enum DateText {
    /// `YYYY-MM-DD` when the parts form a real date.
    static func iso(year: Int, month: Int, day: Int) -> String? {
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (1000...9999).contains(year)
        else { return nil }
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// Parses `YYYY-MM-DD` (optionally followed by a time) into its parts.
    static func parseISO<S: StringProtocol>(_ text: S) -> (year: Int, month: Int, day: Int)? {
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard text.count >= 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              iso(year: year, month: month, day: day) != nil
        else { return nil }
        return (year, month, day)
    }

    /// A publication date from the forms JSON and metadata use: ISO 8601 date or date-time (kept as given
    /// when it is a valid date-time), `Month DD, YYYY`, `DD Month YYYY`, RFC 2822 (`Tue, 03 Mar 1987 ...`).
    static func normalize(_ raw: String) -> String? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let parts = parseISO(text) {
            let date = iso(year: parts.year, month: parts.month, day: parts.day)
            if text.count > 10, text.dropFirst(10).first == "T" || text.dropFirst(10).first == " " {
                return String(text.prefix(10)) + "T" + text.dropFirst(11)
            }
            return date
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var month: Int? = nil
        var day: Int? = nil
        var year: Int? = nil
        for word in words {
            if month == nil, let number = Months.number(word) {
                month = number
            } else if let number = Int(word) {
                if number >= 1000 { year = year ?? number } else if number >= 1 && number <= 31 { day = day ?? number }
            } else if word.hasSuffix("th") || word.hasSuffix("st") || word.hasSuffix("nd") || word.hasSuffix("rd"),
                      let number = Int(word.dropLast(2)), number >= 1 && number <= 31 {
                day = day ?? number
            }
        }
        guard let year, let month, let day else { return nil }
        return iso(year: year, month: month, day: day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

import Foundation

/// Splits text into sentences at `.`, `!`, `?` (and closing quotes after them) followed by white space and
/// a capital, digit or opening quote, except after abbreviations (`Sept.`, `U.S.`, `Mr.`) and initials.
enum SentenceSplitter {
    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
        "maj", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rev", "hon", "pres", "supt", "dept",
        "univ", "approx", "est", "fig", "vol", "pp", "ave", "blvd", "rd", "messrs", "mmes", "msgr", "sgt", "cpl",
        "pvt", "gens", "reps", "sens", "govs", "ald", "atty", "bros", "ky", "ore", "calif", "ariz", "ark", "colo",
        "conn", "del", "fla", "ga", "ill", "ind", "kan", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont",
        "neb", "nev", "okla", "pa", "tenn", "va", "wash", "wis", "wyo", "alta", "ont", "que", "sask", "man",
    ]

    /// The sentences of `text`, trimmed.
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        let characters = Array(text)
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "." || character == "!" || character == "?" {
                var end = index + 1
                while end < characters.count, "\"”’')".contains(characters[end]) { end += 1 }
                if end < characters.count, characters[end] == " ", end + 1 < characters.count,
                   startsSentence(characters[end + 1]),
                   character != "." || !isAbbreviation(characters, before: index) {
                    sentences.append(String(characters[start..<end]))
                    start = end + 1
                    index = end + 1
                    continue
                }
            }
            index += 1
        }
        if start < characters.count {
            let tail = String(characters[start...]).trimmingCharacters(in: .whitespaces)
            if !tail.isEmpty { sentences.append(tail) }
        }
        return sentences
    }

    private static func startsSentence(_ character: Character) -> Bool {
        character.isUppercase || character.isNumber || "\"“‘'(".contains(character)
    }

    /// Whether the word ending at the period at `index` is an abbreviation or an initial.
    private static func isAbbreviation(_ characters: [Character], before index: Int) -> Bool {
        var wordStart = index
        while wordStart > 0, !characters[wordStart - 1].isWhitespace, characters[wordStart - 1] != "(" { wordStart -= 1 }
        let word = String(characters[wordStart..<index])
        if word.isEmpty { return false }
        if word.count == 1, word.first?.isUppercase == true { return true }  // an initial: `John F. Kennedy`
        if word.contains(".") && word.count <= 6 { return true }  // `U.S`, `a.m`, `U.N`
        return abbreviations.contains(word.lowercased())
    }
}

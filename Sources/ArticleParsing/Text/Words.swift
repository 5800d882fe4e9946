/// Word tokens of a text: maximal runs of letters, digits, and inner apostrophes or hyphens.
enum Words {
    static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start: String.Index? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWordCharacter = character.isLetter || character.isNumber
                || ((character == "'" || character == "’" || character == "-") && start != nil)
            if isWordCharacter {
                if start == nil { start = index }
            } else if let begin = start {
                tokens.append(trimmed(text[begin..<index]))
                start = nil
            }
            index = text.index(after: index)
        }
        if let begin = start { tokens.append(trimmed(text[begin...])) }
        return tokens.filter { !$0.isEmpty }
    }

    private static func trimmed(_ word: Substring) -> Substring {
        var word = word
        while let last = word.last, last == "'" || last == "’" || last == "-" { word = word.dropLast() }
        return word
    }
}

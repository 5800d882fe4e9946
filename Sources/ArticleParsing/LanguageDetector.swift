/// Tells the language of a text (ISO 639-1): by script for non-Latin writing, by the share of each
/// language's most frequent words for Latin-script languages.
enum LanguageDetector {
    private static let stopwords: [(code: String, words: Set<String>)] = [
        ("en", ["the", "of", "and", "to", "in", "is", "that", "for", "it", "was", "on", "with", "as", "by", "at",
                "he", "said", "from", "his", "are", "has", "have", "be", "this", "which", "an", "were", "its", "their"]),
        ("es", ["el", "la", "de", "que", "y", "en", "los", "del", "se", "las", "por", "un", "para", "con", "una",
                "su", "al", "es", "lo", "como", "más", "pero", "sus", "le", "ha", "este", "dijo", "también"]),
        ("fr", ["le", "la", "de", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans",
                "pas", "au", "sur", "par", "plus", "il", "ne", "se", "ce", "avec", "sont", "été", "aux"]),
        ("de", ["der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist",
                "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass"]),
        ("it", ["il", "di", "che", "e", "la", "per", "un", "in", "del", "della", "non", "sono", "da", "una", "le",
                "con", "si", "dei", "gli", "nel", "alla", "anche", "ha", "al", "come", "più", "questo", "delle"]),
        ("pt", ["de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "com", "não", "uma", "os", "no", "se",
                "na", "por", "mais", "as", "dos", "como", "mas", "ao", "ele", "das", "foi", "pelo", "são"]),
        ("nl", ["de", "het", "een", "van", "en", "in", "is", "dat", "op", "te", "zijn", "voor", "met", "die",
                "niet", "aan", "er", "om", "ook", "als", "bij", "door", "maar", "wordt", "naar", "werd", "nog"]),
        ("tr", ["ve", "bir", "bu", "da", "de", "için", "ile", "olarak", "çok", "daha", "olan", "gibi", "ancak",
                "en", "kadar", "sonra", "ise", "değil", "göre", "ama", "her", "yeni", "üzerinde", "oldu"]),
        ("pl", ["i", "w", "nie", "na", "się", "z", "do", "to", "że", "jest", "o", "jak", "ale", "po", "co", "tak",
                "za", "od", "przez", "oraz", "jego", "dla", "czy", "już", "tym", "być", "który", "została"]),
        ("sv", ["och", "i", "att", "det", "som", "en", "på", "är", "av", "för", "med", "till", "den", "har", "de",
                "inte", "om", "ett", "men", "var", "jag", "sig", "från", "vi", "så", "kan", "när", "efter"]),
        ("id", ["yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada",
                "juga", "ke", "karena", "ada", "oleh", "mereka", "bahwa", "sudah", "kata", "saat", "telah"]),
    ]

    /// Each stopword with a bit per language it belongs to (bit i: `stopwords[i]`).
    static let stopwordBits: [String: UInt16] = {
        var table: [String: UInt16] = [:]
        for (index, language) in stopwords.enumerated() {
            for word in language.words { table[word, default: 0] |= 1 << UInt16(index) }
        }
        return table
    }()

    /// The language code, or `nil` when the text is too short or unclear. `words` are the first words of
    /// the text as vocabulary ids, `facts` what the word lists say of each; at most 400 are sampled.
    static func detect(_ text: String, words: [Int32], facts: [WordFacts]) -> String? {
        if let byScript = detectByScript(text) { return byScript }
        let sample = words.prefix(400)
        guard sample.count >= 3 else { return nil }
        var hits = [Int](repeating: 0, count: stopwords.count)
        for id in sample {
            var bits = facts[Int(id)].languageBits
            guard bits != 0 else { continue }
            while bits != 0 {
                hits[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        guard let best = hits.indices.max(by: { hits[$0] < hits[$1] }), hits[best] > 0,
              hits[best] * 20 >= sample.count || hits[best] >= 3
        else { return nil }
        return stopwords[best].code
    }

    private static func detectByScript(_ text: String) -> String? {
        // Plain ASCII is Latin script: nothing to count.
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            let end = min(bytes.count, 4000)
            while index < end, bytes[index] < 0x80 { index += 1 }
            return index == end
        } ?? text.utf8.prefix(4000).allSatisfy({ $0 < 0x80 })
        if ascii { return nil }
        var latin = 0, cyrillic = 0, ukrainian = 0, arabic = 0, persian = 0, hebrew = 0, greek = 0
        var han = 0, kana = 0, hangul = 0, devanagari = 0, thai = 0
        // The first 4,000 scalars; ASCII bytes are counted without decoding (the String is valid UTF-8).
        var text = text
        text.withUTF8 { utf8 in
            var scalars = 0
            var position = 0
            while scalars < 4000, position < utf8.count {
                let byte = utf8[position]
                position += 1
                scalars += 1
                if byte < 0x80 {
                    if (byte | 0x20) &- 0x61 < 26 { latin += 1 }
                    continue
                }
                let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
                for _ in 1..<width {
                    value = value << 6 | UInt32((position < utf8.count ? utf8[position] : 0x80) & 0x3F)
                    position += 1
                }
                guard let scalar = Unicode.Scalar(value) else { continue }
                switch scalar.value {
                case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: latin += 1
                case 0x0404, 0x0406, 0x0407, 0x0454, 0x0456, 0x0457, 0x0490, 0x0491: cyrillic += 1; ukrainian += 1
                case 0x0400...0x04FF: cyrillic += 1
                case 0x067E, 0x0686, 0x0698, 0x06AF, 0x06CC: arabic += 1; persian += 1
                case 0x0600...0x06FF, 0x0750...0x077F: arabic += 1
                case 0x0590...0x05FF: hebrew += 1
                case 0x0370...0x03FF: greek += 1
                case 0x3040...0x30FF: kana += 1
                case 0x4E00...0x9FFF, 0x3400...0x4DBF: han += 1
                case 0xAC00...0xD7AF, 0x1100...0x11FF: hangul += 1
                case 0x0900...0x097F: devanagari += 1
                case 0x0E00...0x0E7F: thai += 1
                default: break
                }
            }
        }
        let nonLatin: [(String, Int)] = [
            (ukrainian * 20 > cyrillic ? "uk" : "ru", cyrillic), (persian * 10 > arabic ? "fa" : "ar", arabic),
            ("he", hebrew), ("el", greek), (kana > 0 ? "ja" : "zh", han + kana), ("ko", hangul),
            ("hi", devanagari), ("th", thai),
        ]
        guard let top = nonLatin.max(by: { $0.1 < $1.1 }), top.1 > latin, top.1 >= 5 else { return nil }
        return top.0
    }
}

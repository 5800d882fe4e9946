/// The entity types the learned recognizer tells apart. MISC (nationalities, events, other names) is
/// learned because the training data marks it, and dropped from records.
package enum NERType: Int, CaseIterable, Sendable {
    case person = 0, organization, location, misc

    /// The CoNLL tag suffix (`PER`, `ORG`, `LOC`, `MISC`).
    package var tag: String { ["PER", "ORG", "LOC", "MISC"][rawValue] }

    /// The type of a CoNLL tag suffix.
    package init?(tag: Substring) {
        switch tag {
        case "PER": self = .person
        case "ORG": self = .organization
        case "LOC": self = .location
        case "MISC": self = .misc
        default: return nil
        }
    }
}

/// BILOU labels (Begin, Inside, Last, Outside, Unit), which beat BIO for linear models on news (Ratinov &
/// Roth 2009). Label 0 is O; type t, part p is `1 + 4t + p` with parts B, I, L, U.
package enum NERLabel {
    package static let count = 17
    /// The history value before a sentence's first token (not a label a token can get).
    package static let start = 17
    package static let outside: Int = 0

    package enum Part: Int { case begin = 0, inside, last, unit }

    package static func label(_ type: NERType, _ part: Part) -> Int { 1 + type.rawValue * 4 + part.rawValue }

    package static func type(of label: Int) -> NERType? {
        label >= 1 && label < count ? NERType(rawValue: (label - 1) / 4) : nil
    }

    package static func part(of label: Int) -> Part? {
        label >= 1 && label < count ? Part(rawValue: (label - 1) % 4) : nil
    }

    /// Whether `label` may follow `previous` (a label or ``start``); `last` when the token ends its
    /// sentence, where no span may stay open.
    package static func allowed(_ label: Int, after previous: Int, last: Bool) -> Bool {
        let open = previous != start && (part(of: previous) == .begin || part(of: previous) == .inside)
        let part = part(of: label)
        if open {
            // An open span goes on with its own type, inside or last.
            guard type(of: label) == type(of: previous), part == .inside || part == .last else { return false }
        } else if part == .inside || part == .last {
            return false
        }
        if last, part == .begin || part == .inside { return false }
        return true
    }

    /// Whether a name may go on past a token: what the next token says.
    package enum Closing: Int, CaseIterable, Sendable {
        /// It may go on (the next token is a capitalized word, a connective before one, `&`).
        case open = 0
        /// It ends here: the sentence does, or the next token is a lower-case word other than a
        /// connective (`Mick McCarthy on Friday`), a comma or a bracket.
        case closed
        /// It ends here unless it is MISC: the next token is a number or a weekday (`A. Dale 69`, but
        /// `Windows 95`, `Black Monday`).
        case closedUnlessMisc
    }

    /// Whether `label` may follow `previous` before a token that closes names as `closing` says.
    package static func allowed(_ label: Int, after previous: Int, closing: Closing) -> Bool {
        switch closing {
        case .open: allowed(label, after: previous, last: false)
        case .closed: allowed(label, after: previous, last: true)
        case .closedUnlessMisc: allowed(label, after: previous, last: type(of: label) != .misc)
        }
    }

    /// ``allowed(_:after:closing:)`` for every previous label (or ``start``), closing and label: index
    /// `(previous * 3 + closing) * count + label`.
    package static let allowedTable: [Bool] = (0...start).flatMap { previous in
        Closing.allCases.flatMap { closing in (0..<count).map { allowed($0, after: previous, closing: closing) } }
    }

    /// The label's name (`O`, `B-PER`, `U-LOC`).
    package static func name(_ label: Int) -> String {
        guard let type = type(of: label), let part = part(of: label) else { return label == start ? "<S>" : "O" }
        return ["B", "I", "L", "U"][part.rawValue] + "-" + type.tag
    }

    /// Entity spans of a labelled sequence: half-open token ranges and types. A span a sequence leaves
    /// open (possible only in hand-made input) ends where the next one starts.
    package static func spans(_ labels: some Collection<Int>) -> [(range: Range<Int>, type: NERType)] {
        var spans: [(range: Range<Int>, type: NERType)] = []
        var start = -1
        var openType: NERType?
        for (index, label) in labels.enumerated() {
            let type = type(of: label)
            let part = part(of: label)
            if let open = openType, part != .inside && part != .last || type != open {
                spans.append((start..<index, open))
                openType = nil
            }
            switch part {
            case .begin?: start = index; openType = type
            case .unit?: if let type { spans.append((index..<index + 1, type)) }
            case .inside?: if openType == nil { start = index; openType = type }
            case .last?:
                if let open = openType { spans.append((start..<index + 1, open)) } else if let type { spans.append((index..<index + 1, type)) }
                openType = nil
            case nil: break
            }
        }
        if let open = openType { spans.append((start..<labels.count, open)) }
        return spans
    }

    /// BILOU labels of IOB2 tags (`B-PER`, `I-PER`, `O`), which the CoNLL files use.
    package static func fromIOB(_ tags: [Substring]) -> [Int] {
        var types: [(NERType?, Bool)] = tags.map { tag in
            guard tag.count > 2, let type = NERType(tag: tag.dropFirst(2)) else { return (nil, false) }
            return (type, tag.hasPrefix("B-"))
        }
        // IOB1 or a stray I- opening a span: treat as a beginning.
        for index in types.indices where types[index].0 != nil && !types[index].1 {
            if index == 0 || types[index - 1].0 != types[index].0 { types[index].1 = true }
        }
        return types.indices.map { index in
            guard let type = types[index].0 else { return outside }
            let continues = index + 1 < types.count && types[index + 1].0 == type && !types[index + 1].1
            switch (types[index].1, continues) {
            case (true, true): return label(type, .begin)
            case (true, false): return label(type, .unit)
            case (false, true): return label(type, .inside)
            case (false, false): return label(type, .last)
            }
        }
    }
}

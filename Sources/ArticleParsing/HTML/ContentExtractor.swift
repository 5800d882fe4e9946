import Foundation

/// Finds the article's main text in an ``HTMLTree`` and returns it as paragraphs, with navigation, related
/// links, comments, share bars, captions and other boilerplate left out.
///
/// The method is Readability's, computed over the flat tree: every block of text of some length gives
/// points to its parent and, less, to further ancestors (more for commas and length); the best-scoring
/// element, discounted by how much of its text is links, holds the article. Siblings that score nearly as
/// well join it (articles split over several containers). Inside, subtrees that read like boilerplate (mostly
/// links, lists of short items, class or id words such as `related` or `share`) are dropped.
struct ContentExtractor {
    /// How far class and id words are trusted. Readability's lesson: a page whose wrapper is named
    /// `sticky-sidebar` or `below-header-ad` loses its article to a strict reading, so a reading that finds
    /// little is done again with less trust in the names.
    enum Trust: CaseIterable {
        /// Boilerplate names drop their subtrees and weigh in the scores.
        case full
        /// Boilerplate names only weigh in the scores.
        case scoresOnly
        /// Names are ignored; only tags, hiding and the text itself count.
        case none
    }

    private let trust: Trust
    private let tree: HTMLTree
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Per element: nearest block ancestor (itself when a block).
    private var blockOf: [Int32]
    /// Per element: last index of its subtree.
    private var subtreeEnd: [Int32]
    /// Per element: excluded itself or under an excluded ancestor.
    private var dead: [Bool]
    /// Per element, over its whole subtree: text bytes, link text bytes, commas, paragraphs, list items, images.
    private var textBytes: [Int32]
    private var linkBytes: [Int32]
    private var commas: [Int32]
    private var paragraphCount: [Int32]
    private var itemCount: [Int32]

    init(tree: HTMLTree, bytes: UnsafeBufferPointer<UInt8>, trust: Trust = .full) {
        self.trust = trust
        self.tree = tree
        self.bytes = bytes
        let count = tree.elements.count
        blockOf = [Int32](repeating: 0, count: count)
        subtreeEnd = (0..<Int32(count)).map { $0 }
        dead = [Bool](repeating: false, count: count)
        textBytes = [Int32](repeating: 0, count: count)
        linkBytes = [Int32](repeating: 0, count: count)
        commas = [Int32](repeating: 0, count: count)
        paragraphCount = [Int32](repeating: 0, count: count)
        itemCount = [Int32](repeating: 0, count: count)
        measure()
    }

    private mutating func measure() {
        let elements = tree.elements
        for index in 1..<elements.count {
            let element = elements[index]
            let parent = Int(element.parent)
            blockOf[index] = element.tag.isBlock ? Int32(index) : blockOf[parent]
            let protected = [.body, .html, .main, .article].contains(element.tag)
            let named = trust == .full && element.weight < 0 && !protected
            dead[index] = dead[parent] || element.excluded || named
            if element.tag == .p { paragraphCount[index] = 1 }
            if element.tag == .li { itemCount[index] = 1 }
        }
        for run in tree.runs where run.end > run.start {
            let element = Int(run.element)
            let (length, commaCount) = visibleLength(run)
            textBytes[element] += length
            if run.inLink { linkBytes[element] += length }
            commas[element] += commaCount
        }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            let parent = Int(elements[index].parent)
            guard !dead[index] else {
                subtreeEnd[parent] = max(subtreeEnd[parent], subtreeEnd[index])
                continue
            }
            subtreeEnd[parent] = max(subtreeEnd[parent], subtreeEnd[index])
            textBytes[parent] += textBytes[index]
            linkBytes[parent] += linkBytes[index]
            commas[parent] += commas[index]
            paragraphCount[parent] += paragraphCount[index]
            itemCount[parent] += itemCount[index]
        }
    }

    /// Non-white-space bytes of a run (character references count as what they stand for, roughly) and
    /// its commas.
    private func visibleLength(_ run: HTMLTree.TextRun) -> (Int32, Int32) {
        var length: Int32 = 0
        var commaCount: Int32 = 0
        for index in Int(run.start)..<Int(run.end) {
            let byte = bytes[index]
            if byte > 0x20 { length += 1 }
            if byte == UInt8(ascii: ",") { commaCount += 1 }
        }
        return (length, commaCount)
    }

    private func linkDensity(_ element: Int) -> Double {
        textBytes[element] == 0 ? 0 : Double(linkBytes[element]) / Double(textBytes[element])
    }

    /// The cleaned text of an element's whole subtree, excluded parts included (for metadata).
    func text(of element: Int) -> String {
        guard element > 0, element < tree.elements.count else { return "" }
        var collected: [UInt8] = []
        var index = Int(tree.firstRun[element])
        let end = Int32(subtreeEnd[element])
        while index < tree.runs.count {
            let run = tree.runs[index]
            guard run.element >= Int32(element), run.element <= end else { break }
            if run.end > run.start {
                collected.append(contentsOf: bytes[Int(run.start)..<Int(run.end)])
            } else {
                collected.append(0x20)
            }
            index += 1
        }
        return TextCleaner.clean(bytes: collected[...])
    }

    /// The article's paragraphs, in document order; empty when the page has no text.
    func paragraphs() -> [String] {
        let roots = chosenRoots()
        guard !roots.isEmpty else { return [] }
        let kept = keptElements(under: roots)
        var paragraphs: [String] = []
        var current: [UInt8] = []
        var currentBlock: Int32 = -2
        func flush() {
            if !current.isEmpty {
                let text = TextCleaner.clean(bytes: current[...])
                if !text.isEmpty, !Self.isBoilerplateLine(text) { paragraphs.append(text) }
                current.removeAll(keepingCapacity: true)
            }
        }
        for run in tree.runs {
            let element = Int(run.element)
            guard kept[element] else { continue }
            if run.end <= run.start {
                flush()
                continue
            }
            let block = blockOf[element]
            if block != currentBlock {
                flush()
                currentBlock = block
            }
            current.append(contentsOf: bytes[Int(run.start)..<Int(run.end)])
        }
        flush()
        // Short lines before the first paragraph of prose are the story's furniture: kicker, byline, date,
        // reading time.
        if let firstProse = paragraphs.firstIndex(where: { $0.utf8.count >= 150 }) {
            let lead = paragraphs[..<firstProse].filter { $0.utf8.count >= 60 || Self.endsLikeSentence($0) }
            paragraphs = lead + paragraphs[firstProse...]
        }
        return paragraphs
    }

    private static func endsLikeSentence(_ text: String) -> Bool {
        guard let last = text.unicodeScalars.last else { return false }
        return ".!?\"”’:".unicodeScalars.contains(last) && text.split(separator: " ").count >= 4
    }

    /// The best-scoring container and those of its siblings that hold article text too.
    private func chosenRoots() -> [Int] {
        let elements = tree.elements
        var score = [Double](repeating: 0, count: elements.count)
        var initialized = [Bool](repeating: false, count: elements.count)
        var candidates: [Int] = []
        for index in 1..<elements.count where !dead[index] && elements[index].tag.isBlock {
            // The element's own text: what its subtree holds minus its block children's.
            let own = ownText(index)
            guard own >= 25 else { continue }
            let points = 1 + Double(ownCommas(index)) + min(Double(own) / 100, 3)
            var ancestor = Int(elements[index].parent)
            var level = 0
            while ancestor > 0, level < 5 {
                if !initialized[ancestor] {
                    initialized[ancestor] = true
                    score[ancestor] = baseScore(ancestor)
                    candidates.append(ancestor)
                }
                let divider = level == 0 ? 1.0 : level == 1 ? 2.0 : Double(level * 3)
                score[ancestor] += points / divider
                ancestor = Int(elements[ancestor].parent)
                level += 1
            }
        }
        guard !candidates.isEmpty else {
            return tree.runs.isEmpty ? [] : [0]
        }
        for candidate in candidates { score[candidate] *= 1 - linkDensity(candidate) }
        let ranked = candidates.sorted { score[$0] > score[$1] }.prefix(5)
        guard var top = ranked.first else { return [] }
        // Several near-best candidates under one ancestor (list articles, text split into many boxes): the
        // ancestor holds the article.
        let alternatives = ranked.dropFirst().filter { score[$0] >= score[top] * 0.75 }
        if alternatives.count >= 2 {
            var ancestor = Int(elements[top].parent)
            while ancestor > 0 {
                let end = Int(subtreeEnd[ancestor])
                if alternatives.filter({ $0 > ancestor && $0 <= end }).count >= 2 {
                    top = ancestor
                    break
                }
                ancestor = Int(elements[ancestor].parent)
            }
        }
        // A lone child holds nothing its parent does not: take the parent, whose siblings may join.
        while top > 0, elements[top].parent > 0, childBlocks(of: Int(elements[top].parent)) == 1,
              !dead[Int(elements[top].parent)]
        {
            top = Int(elements[top].parent)
        }
        let parent = Int(elements[top].parent)
        let threshold = max(10, score[top] * 0.2)
        var roots: [Int] = []
        for sibling in children(of: parent) where !dead[sibling] {
            if sibling == top {
                roots.append(sibling)
                continue
            }
            let density = linkDensity(sibling)
            if initialized[sibling] && score[sibling] >= threshold {
                roots.append(sibling)
            } else if elements[sibling].tag == .p {
                let length = textBytes[sibling]
                if length > 80 && density < 0.25 || length > 0 && length <= 80 && density == 0 && endsSentence(sibling) {
                    roots.append(sibling)
                }
            }
        }
        return roots
    }

    private func baseScore(_ element: Int) -> Double {
        var base: Double
        switch tree.elements[element].tag {
        case .div, .article, .main, .section: base = 5
        case .pre, .td, .blockquote: base = 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: base = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: base = -5
        default: base = 0
        }
        if trust != .none { base += Double(tree.elements[element].weight) * 25 }
        return base
    }

    /// Text bytes of an element not inside a block descendant.
    private func ownText(_ element: Int) -> Int32 {
        var total = textBytes[element]
        for child in children(of: element) where tree.elements[child].tag.isBlock && !dead[child] {
            total -= textBytes[child]
        }
        return total
    }

    private func ownCommas(_ element: Int) -> Int32 {
        var total = commas[element]
        for child in children(of: element) where tree.elements[child].tag.isBlock && !dead[child] {
            total -= commas[child]
        }
        return total
    }

    /// Direct children, in order (the subtree is contiguous, so each next child starts after the last one's end).
    private func children(of element: Int) -> [Int] {
        var result: [Int] = []
        var index = element + 1
        let end = Int(subtreeEnd[element])
        while index <= end {
            result.append(index)
            index = Int(subtreeEnd[index]) + 1
        }
        return result
    }

    private func childBlocks(of element: Int) -> Int {
        children(of: element).filter { !dead[$0] && textBytes[$0] > 0 }.count
    }

    /// Whether the element's text ends with a period, white space and no-break spaces (`&nbsp;`, as
    /// written or decoded) after it allowed.
    private func endsSentence(_ element: Int) -> Bool {
        for run in tree.runs.reversed() where Int(run.element) >= element && Int(run.element) <= Int(subtreeEnd[element]) && run.end > run.start {
            let start = Int(run.start)
            var index = Int(run.end) - 1
            while index > start {
                if bytes[index] <= 0x20 {
                    index -= 1
                } else if bytes[index] == 0xA0, bytes[index - 1] == 0xC2 {
                    index -= 2
                } else if bytes[index] == UInt8(ascii: ";"),
                          let entity = Self.noBreakSpaces.first(where: { entityEnds(at: index, $0) }) {
                    index -= entity.count
                } else {
                    break
                }
            }
            guard index >= start else { return false }
            return bytes[index] == UInt8(ascii: ".")
        }
        return false
    }

    private static let noBreakSpaces: [[UInt8]] = [Array("&nbsp;".utf8), Array("&#160;".utf8), Array("&#xa0;".utf8)]

    /// Whether `entity` is written in the page ending at byte `end`.
    private func entityEnds(at end: Int, _ entity: [UInt8]) -> Bool {
        let start = end + 1 - entity.count
        guard start >= 0 else { return false }
        for offset in entity.indices where bytes[start + offset] | 0x20 != entity[offset] | 0x20 { return false }
        return true
    }

    /// Which elements' text goes into the article: inside a chosen root, not dead, not in a subtree that
    /// reads like boilerplate.
    private func keptElements(under roots: [Int]) -> [Bool] {
        let elements = tree.elements
        var kept = [Bool](repeating: false, count: elements.count)
        for root in roots {
            kept[root] = !dead[root]
            var index = root + 1
            let end = Int(subtreeEnd[root])
            while index <= end {
                let parent = Int(elements[index].parent)
                kept[index] = kept[parent] && !dead[index] && !looksLikeBoilerplate(index)
                index += 1
            }
        }
        return kept
    }

    /// Readability's conditional cleaning: containers whose text is mostly links, lists longer than the
    /// paragraphs around them, or nothing much but a few words.
    private func looksLikeBoilerplate(_ element: Int) -> Bool {
        let tag = tree.elements[element].tag
        if tag == .h1 { return true }
        switch tag {
        case .div, .section, .ul, .ol, .table, .figure, .header, .dl, .center, .p, .blockquote, .li, .span, .other:
            break
        default:
            return false
        }
        let text = textBytes[element]
        guard text > 0 else { return false }
        let density = linkDensity(element)
        if tag == .p || tag == .span || tag == .other || tag == .li || tag == .blockquote {
            guard density > 0.8 && text < 200 else { return false }
            guard tag == .span || tag == .other else { return true }
            // Words inside a paragraph's running text (`not like <a><strong>Gennady Golovkin</strong></a> is
            // afraid`) are judged with their paragraph, not alone: a link's words are all link. Running text
            // is the block's own, outside its inner blocks (an image's link button beside its caption box
            // is not in any).
            var block = Int(tree.elements[element].parent)
            while block > 0, !tree.elements[block].tag.isBlock { block = Int(tree.elements[block].parent) }
            return !(block > 0 && ownText(block) > text)
        }
        if commas[element] >= 10 { return false }
        let paragraphs = paragraphCount[element]
        let items = itemCount[element]
        if density > 0.5 { return true }
        // As Readability: a container whose class or id says content (`cli-text`, `story-body`) holds
        // prose with links in it, and only more than half of it in links makes it boilerplate.
        // But a sentence with a link or two in it is prose (`its recent <a>expansion outside California</a>.`):
        // at least 100 bytes out of links, ending with a period.
        if density > 0.25 && text < 400 && paragraphs <= 1 && tree.elements[element].weight <= 0
            && !(text - linkBytes[element] >= 100 && endsSentence(element)) {
            return true
        }
        if (tag == .ul || tag == .ol), density > 0.2, items > 2 { return true }
        if tag != .ul && tag != .ol && items > paragraphs + 1 && density > 0.2 { return true }
        return false
    }
}

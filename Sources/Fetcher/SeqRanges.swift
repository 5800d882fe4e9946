/// A set of sequence numbers kept as sorted, disjoint ranges that do not touch: memory grows with the
/// gaps between acknowledged articles, not with their number (acknowledgements come nearly in order, so
/// a million of them are usually a handful of ranges).
struct SeqRanges: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt64>] = []

    init() {}

    /// How many numbers it holds.
    var count: UInt64 { ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound + 1) } }

    var isEmpty: Bool { ranges.isEmpty }

    /// The index of the first range starting after `seq`.
    private func firstAfter(_ seq: UInt64) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lowerBound > seq { high = middle } else { low = middle + 1 }
        }
        return low
    }

    func contains(_ seq: UInt64) -> Bool {
        let index = firstAfter(seq)
        return index > 0 && ranges[index - 1].contains(seq)
    }

    mutating func insert(_ seq: UInt64) {
        insert(seq...seq)
    }

    mutating func insert(_ range: ClosedRange<UInt64>) {
        // The usual case: the next numbers after the last range.
        if let last = ranges.last, range.lowerBound > last.upperBound {
            if last.upperBound < .max, range.lowerBound == last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...range.upperBound
            } else {
                ranges.append(range)
            }
            return
        }
        // Merge with every range it overlaps or touches.
        var lower = range.lowerBound
        var upper = range.upperBound
        var start = firstAfter(lower)
        if start > 0, ranges[start - 1].upperBound >= (lower == 0 ? 0 : lower - 1) { start -= 1 }
        var end = start
        while end < ranges.count, ranges[end].lowerBound <= (upper == .max ? .max : upper + 1) {
            lower = min(lower, ranges[end].lowerBound)
            upper = max(upper, ranges[end].upperBound)
            end += 1
        }
        ranges.replaceSubrange(start..<end, with: [lower...upper])
    }

    /// The numbers in both.
    func intersection(_ other: SeqRanges) -> SeqRanges {
        var result = SeqRanges()
        var left = 0
        var right = 0
        while left < ranges.count, right < other.ranges.count {
            let a = ranges[left]
            let b = other.ranges[right]
            let lower = max(a.lowerBound, b.lowerBound)
            let upper = min(a.upperBound, b.upperBound)
            if lower <= upper { result.ranges.append(lower...upper) }
            if a.upperBound < b.upperBound { left += 1 } else { right += 1 }
        }
        return result
    }

    /// The numbers from `seq` on.
    func from(_ seq: UInt64) -> SeqRanges {
        var everything = SeqRanges()
        everything.ranges = [seq...UInt64.max]
        return intersection(everything)
    }

    /// A line of `acked.log`: one number (`41`) or an inclusive range (`41-97`).
    static func parse(line: some Collection<UInt8>) -> ClosedRange<UInt64>? {
        let text = String(decoding: line, as: UTF8.self)
        if let dash = text.firstIndex(of: "-") {
            guard let lower = UInt64(text[..<dash]), let upper = UInt64(text[text.index(after: dash)...]), lower <= upper else { return nil }
            return lower...upper
        }
        return UInt64(text).map { $0...$0 }
    }

    /// The lines that write it to `acked.log`.
    var lines: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)\n" : "\($0.lowerBound)-\($0.upperBound)\n" }.joined()
    }
}

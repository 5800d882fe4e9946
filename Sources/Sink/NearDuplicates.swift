import NewsModel

/// Links each record to an earlier one that tells the same story: the record is written with
/// `duplicate_of` set to the id of the first record of that story's group (see docs/duplicates.md).
///
/// Each record's ``MinHashSketch`` has 64 values; six bands of two values each are keys into hash tables,
/// so a record finds the earlier records that share a band in constant time, whatever the number held
/// (two texts of Jaccard similarity J share a band with probability 1 - (1 - J²)⁶: 0.998 at J = 0.8). A
/// candidate is taken when at least `agreement` of the 64 values are equal (the share of equal values
/// estimates J); of several, the one with most equal values, the older generation's on a tie. All of it
/// is derived from the records themselves (sketch, id, `fetched_at`, order), so a replay of a stream
/// gives the same links.
///
/// Bounded: a record is compared only with records fetched at most `windowSeconds` before the latest one
/// seen, and the index holds at most `windowRecords`: it keeps two generations of half that many each, and
/// forgets the older generation at once when the newer is full. About 200 bytes a record.
public struct NearDuplicates {
    public struct Settings: Sendable {
        /// Most records held.
        var windowRecords: Int
        /// Records fetched longer ago than this before the latest are not compared with.
        var windowSeconds: Int64
        /// Equal sketch values (of 64) that make two records the same story.
        var agreement: Int

        /// Settings for at most `windowRecords` records fetched at most `windowSeconds` apart, linked at an
        /// estimated Jaccard similarity of `similarity` or more.
        public init(windowRecords: Int, windowSeconds: Int64, similarity: Double) {
            self.windowRecords = max(2, windowRecords)
            self.windowSeconds = max(0, windowSeconds)
            self.agreement = max(1, Int((min(1, max(0, similarity)) * Double(MinHashSketch.count)).rounded(.up)))
        }
    }

    static let bands = 6

    fileprivate struct Generation {
        /// The sketches' values cut to 8 bits, enough to count equal values (a false equality is 1 in 256).
        var sketches: [SIMD64<UInt8>] = []
        var roots: [UInt64] = []
        var times: [Int64] = []
        /// Per band: band key -> the latest record with that key.
        var tables = [BandTable](repeating: BandTable(), count: NearDuplicates.bands)
        /// Roots whose id is not 16 lowercase hex digits (ids given by producers), as written.
        var spelled: [UInt64: String] = [:]

        var count: Int { roots.count }

        var allocatedBytes: Int {
            sketches.capacity * MemoryLayout<SIMD64<UInt8>>.stride + roots.capacity * 8 + times.capacity * 8
                + tables.reduce(0) { $0 + $1.allocatedBytes } + spelled.capacity * 48
        }

        /// An empty generation with room for `capacity` records: the arrays are reserved whole (filled in
        /// order, so their memory becomes resident only as they fill). The tables, filled at random
        /// places, grow as they go, unless `tables` says how many records will come at once.
        init(capacity: Int = 0, tables: Int = 0) {
            sketches.reserveCapacity(capacity)
            roots.reserveCapacity(capacity)
            times.reserveCapacity(capacity)
            for band in 0..<NearDuplicates.bands { self.tables[band] = BandTable(capacity: min(capacity, tables)) }
        }
    }

    private let settings: Settings
    private var current: Generation
    private var previous = Generation()
    private var latest: Int64 = .min

    /// An empty index; `coming` records about to be added at once (a rebuild) have their room made first.
    public init(settings: Settings, coming: Int = 0) {
        self.settings = settings
        self.current = Generation(capacity: settings.windowRecords / 2, tables: coming)
        self.coming = coming
    }

    /// Records still expected from a rebuild: each new generation makes room for them.
    private var coming: Int

    /// Records held.
    public var count: Int { current.count + previous.count }

    /// A pseudo-random sketch, the same for the same seed (splitmix64): unrelated stories, for benchmarks
    /// and tests of the index.
    public static func sampleSketch(seed: UInt64) -> MinHashSketch {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        var values = SIMD64<UInt16>()
        for index in 0..<MinHashSketch.count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            values[index] = UInt16(truncatingIfNeeded: value ^ (value >> 31))
        }
        return MinHashSketch(values: values)
    }

    /// Bytes the index has allocated (arrays and tables, by their capacity).
    public var allocatedBytes: Int { current.allocatedBytes + previous.allocatedBytes }

    /// The id to put in `duplicate_of` for a record with this sketch, if an earlier record tells the same
    /// story; the record is indexed either way. `given` is a `duplicate_of` the record already has (when
    /// the index is rebuilt from `out/`): it is kept as the record's group.
    public mutating func add(id: String, sketch: MinHashSketch, fetchedAt: Int64?, given: String? = nil) -> String? {
        let time = max(latest, fetchedAt ?? latest)
        latest = time
        var keys = SIMD8<UInt32>()
        for band in 0..<Self.bands {
            keys[band] = UInt32(sketch.values[2 * band]) << 16 | UInt32(sketch.values[2 * band + 1])
        }
        let values = SIMD64<UInt8>(truncatingIfNeeded: sketch.values)
        var best: Match?
        if given == nil {
            // The previous generation first: on equal agreement the older record wins.
            best = previous.bestMatch(keys: keys, values: values, since: time &- settings.windowSeconds,
                                      agreement: settings.agreement, better: nil)
            best = current.bestMatch(keys: keys, values: values, since: time &- settings.windowSeconds,
                                     agreement: settings.agreement, better: best)
        }
        let root = best?.root ?? given ?? id
        if current.count >= max(1, settings.windowRecords / 2) {
            previous = current
            current = Generation(capacity: settings.windowRecords / 2, tables: coming)
        }
        coming = max(0, coming - 1)
        current.append(values: values, keys: keys, root: root, time: time)
        return best?.root
    }

    struct Match {
        var root: String
        var agreement: Int
    }
}

extension NearDuplicates.Generation {
    /// The record sharing a band with these values that agrees with them most, if it agrees on at least
    /// `agreement` values, is no older than `since` and beats `better` (an equal one does not).
    func bestMatch(keys: SIMD8<UInt32>, values: SIMD64<UInt8>, since: Int64, agreement: Int,
                   better: NearDuplicates.Match?) -> NearDuplicates.Match? {
        var best = better
        for band in 0..<NearDuplicates.bands {
            guard let index = tables[band].find(keys[band]).map(Int.init), times[index] >= since else { continue }
            let equal = Int(SIMD64<UInt8>(repeating: 0).replacing(with: 1, where: sketches[index] .== values).wrappedSum())
            guard equal >= agreement, equal > best?.agreement ?? 0 else { continue }
            best = NearDuplicates.Match(root: spelled[roots[index]] ?? Hex.format(roots[index]), agreement: equal)
        }
        return best
    }

    mutating func append(values: SIMD64<UInt8>, keys: SIMD8<UInt32>, root: String, time: Int64) {
        // An id of 16 lowercase hex digits is kept as its value; any other as a hash of its text, spelled out.
        let key: UInt64
        if Self.isSpelledByKey(root), let value = ArticleID(hex: root)?.value {
            key = value
        } else {
            key = ArticleID(contentOf: Array(root.utf8)).value
            spelled[key] = root
        }
        let index = UInt32(roots.count)
        sketches.append(values)
        roots.append(key)
        times.append(time)
        for band in 0..<NearDuplicates.bands { tables[band].set(keys[band], to: index) }
    }

    /// Whether an id is its key's 16 lowercase hex digits, as the fetcher makes them.
    private static func isSpelledByKey(_ id: String) -> Bool {
        id.utf8.count == 16 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

extension NearDuplicates {
    private static let minhashMarker = Array("\"minhash\":\"".utf8)
    private static let fetchedMarker = Array("\"fetched_at\":\"".utf8)
    private static let duplicateMarker = Array("\"duplicate_of\":\"".utf8)

    /// The line to write for a new record: with `duplicate_of` when an earlier record tells the same
    /// story (and the line stays within `maxBytes`), else as it came. A record without a sketch of this
    /// version is written as it came and not indexed.
    public mutating func mark(_ line: [UInt8], id: String, maxBytes: Int) -> (line: [UInt8], duplicateOf: String?) {
        guard let idAt = RecordLine.idRange(in: line[...]) else { return (line, nil) }
        return mark(line, id: id, idAt: idAt, maxBytes: maxBytes)
    }

    /// ``mark(_:id:maxBytes:)`` for a line whose id the caller found at `idAt`: the fields read lie beside
    /// it (sorted keys: `fetched_at` right before the id, the sketch after it), so the body is not read.
    mutating func mark(_ line: [UInt8], id: String, idAt: Range<Int>, maxBytes: Int) -> (line: [UInt8], duplicateOf: String?) {
        let near = line[max(0, idAt.lowerBound - 96)..<idAt.lowerBound]
        guard let sketch = RecordLine.value(after: Self.minhashMarker, in: line[idAt.upperBound...])
            .flatMap({ MinHashSketch(text: line[$0]) })
        else { return (line, nil) }
        let fetchedAt = RecordLine.value(after: Self.fetchedMarker, in: near).flatMap { EpochSeconds.parse(line[$0]) }
        guard let root = add(id: id, sketch: sketch, fetchedAt: fetchedAt),
              let marked = RecordLine.settingDuplicateOf(root, in: line), marked.count <= maxBytes
        else { return (line, nil) }
        return (marked, root)
    }

    /// The index as it is rebuilt from the lines already in `out/` at start. The files are read newest
    /// first (each in order), and lines are taken from them until `windowRecords` are: older files give
    /// none, and only the lines taken have their sketch read and are indexed, oldest first.
    struct Backlog {
        private typealias Entry = (id: String, sketch: MinHashSketch, fetchedAt: Int64?, given: String?)
        /// The lines taken, per file, newest file first.
        private var files: [[Entry]] = []
        private var taken = 0
        private let keep: Int

        init(settings: Settings) {
            keep = settings.windowRecords
        }

        /// Whether older files could still add lines the index keeps.
        var wantsMore: Bool { taken < keep }

        /// Takes a line of file number `file` (0 the newest) whose id is `id`, found at `idAt`; a line
        /// without a sketch is left out.
        mutating func append(_ line: ArraySlice<UInt8>, id: String, idAt: Range<Int>, file: Int) {
            if file >= files.count {
                // A file older than all before: needed only while the newer ones hold too few lines.
                guard taken < keep else { return }
                files.append([])
            }
            // Sorted keys: `fetched_at` comes right before the id, `duplicate_of` before it, the sketch after.
            let near = line[max(line.startIndex, idAt.lowerBound - 96)..<idAt.lowerBound]
            guard let fetched = RecordLine.value(after: fetchedMarker, in: near),
                  let sketch = RecordLine.value(after: minhashMarker, in: line[fetched.upperBound...])
                    .flatMap({ MinHashSketch(text: line[$0]) })
            else { return }
            files[files.count - 1].append((id, sketch, EpochSeconds.parse(line[fetched]),
                                           RecordLine.string(after: duplicateMarker, in: line[..<fetched.lowerBound])))
            taken += 1
        }

        /// The last `windowRecords` lines taken, in order, with the group their `duplicate_of` names.
        func indexed(_ settings: Settings) -> NearDuplicates {
            let lines = files.reversed().joined().suffix(keep)
            var index = NearDuplicates(settings: settings, coming: lines.count)
            for line in lines {
                _ = index.add(id: line.id, sketch: line.sketch, fetchedAt: line.fetchedAt, given: line.given)
            }
            return index
        }
    }

}

/// A hash table from a band key to a record's number, and nothing else: each slot is one word (key in the
/// high half, number + 1 in the low, 0 for empty), probed linearly, at most 70% full. A key set again
/// takes the new number; nothing is ever removed (generations are dropped whole). Slots are chosen by a
/// multiplicative hash with a seed drawn per process, so text made to collide cannot pile records on one
/// run of slots; Swift's `Dictionary` spent twice the time hashing.
struct BandTable {
    private var slots: [UInt64]
    private var mask: Int
    private var used = 0
    private static let seed = UInt64.random(in: 1 ... .max) | 1

    var allocatedBytes: Int { slots.capacity * 8 }

    /// A table with room for `capacity` keys before it grows.
    init(capacity: Int = 0) {
        var size = 16
        while size * 7 < capacity * 10 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    private func home(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: ((UInt64(key) ^ Self.seed) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The number last set for `key`.
    func find(_ key: UInt32) -> UInt32? {
        var slot = home(key)
        while true {
            let word = slots[slot]
            if word == 0 { return nil }
            if UInt32(truncatingIfNeeded: word >> 32) == key { return UInt32(truncatingIfNeeded: word) &- 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Sets `key` to `number` (below 2^32 - 1).
    mutating func set(_ key: UInt32, to number: UInt32) {
        if (used + 1) * 10 > slots.count * 7 { grow() }
        let word = UInt64(key) << 32 | UInt64(number &+ 1)
        var slot = home(key)
        while true {
            let existing = slots[slot]
            if existing == 0 {
                slots[slot] = word
                used += 1
                return
            }
            if UInt32(truncatingIfNeeded: existing >> 32) == key {
                slots[slot] = word
                return
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        used = 0
        for word in old where word != 0 {
            set(UInt32(truncatingIfNeeded: word >> 32), to: UInt32(truncatingIfNeeded: word) &- 1)
        }
    }
}

/// Seconds since 1970 of an RFC 3339 UTC time (`2026-12-06T22:25:53.123Z`, as the fetcher writes
/// `fetched_at`); the fraction is ignored, an offset other than `Z` is applied.
enum EpochSeconds {
    static func parse(_ text: ArraySlice<UInt8>) -> Int64? {
        text.withUnsafeBufferPointer { parse($0) }
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
              let second = number(bytes[17..<19]), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var offset: Int64 = 0
        var zone = 19
        while zone < bytes.count, bytes[zone] == UInt8(ascii: ".") || (48...57).contains(bytes[zone]) { zone += 1 }
        if zone + 6 == bytes.count, bytes[zone] == UInt8(ascii: "+") || bytes[zone] == UInt8(ascii: "-"),
           let hours = number(bytes[(zone + 1)..<(zone + 3)]), let minutes = number(bytes[(zone + 4)..<(zone + 6)]) {
            offset = (hours * 3600 + minutes * 60) * (bytes[zone] == UInt8(ascii: "+") ? 1 : -1)
        } else if !(zone + 1 == bytes.count && (bytes[zone] == UInt8(ascii: "Z") || bytes[zone] == UInt8(ascii: "z"))) {
            return nil
        }
        return CivilDate.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    private static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        var value: Int64 = 0
        for digit in digits {
            guard (48...57).contains(digit) else { return nil }
            value = value * 10 + Int64(digit - 48)
        }
        return value
    }
}

import Dispatch
import Foundation
import NewsModel

/// Why an entity model file cannot be used.
package struct NERModelError: Error, Sendable, CustomStringConvertible {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}

/// A trained entity model, loaded and ready to tag: immutable, shared by every parse of a worker.
///
/// The file (`*.nfner`) is data with a contract: the magic `NFNERMDL`, a format version, the model's
/// name and its meta (JSON: what it was trained on, with which options, what it scored), the feature
/// weights as 16-bit integers with one scale, a vocabulary of frequent forms, the word classes, the
/// vocabulary's form rows (the forms' window weights, summed when the file was written; a version 1 file
/// has none, and they are summed at load), and a CRC-32 of everything before it. A file that is not one,
/// is cut short or was altered is refused whole with the reason.
package final class NERModel: Sendable {
    package static let magic: [UInt8] = Array("NFNERMDL".utf8)
    /// The version written. Version 1 files (the same without the form rows) are still read.
    package static let formatVersion: UInt32 = 2
    static let labels = NERLabel.count
    static let windowSize = NERFeatures.window.count

    /// The model's name (`en-conll2003`).
    package let name: String
    /// The file's content hash: 16 hex digits of FNV-1a 64 over every byte.
    package let hash: String
    /// What the model says of itself (JSON text).
    package let meta: String
    /// How many features it weighs.
    package let featureCount: Int

    /// Open addressing over the features' keys: a key and its row side by side, so a probe reads one
    /// cache line.
    private struct Slot {
        var key: UInt64 = 0
        var row: Int32 = -1
    }
    private let slots: [Slot]
    private let slotMask: Int
    /// Every feature's weights as the file stores them: 16-bit integers, one scale for all. Tagging
    /// sums them as integers: the best label of a sum does not depend on the scale.
    private let units: [Int16]

    /// The rows the tagger reads per token, each ``labels`` weights long, as 32-bit sums of weights in
    /// the file's units, in one table (``Dense`` says where each kind starts).
    let dense: [Int32]
    /// Where each kind of row starts in ``dense``, in rows.
    struct Dense {
        /// Previous label and the one before it (18 x 18 rows): the weights of both history features.
        static let previousTwo = 0
        /// The type earlier mentions of the word were given (5 rows).
        static let history = previousTwo + 18 * 18
        /// Previous label and the token's written case (18 x 8 rows).
        static let previousCase = history + 5
        /// The document features of a form (``NERFeatures/documentKeys``): usual case x written case x
        /// whether a capitalized word is also seen in lower case (4 x 8 x 2 rows).
        static let document = previousCase + 18 * 8
        /// A sentence's first word by its case (4 rows).
        static let sentenceStart = document + 64
        /// A word of a headline in capitals by its usual case (4 rows).
        static let capitalsSentence = sentenceStart + 4
        /// A place phrase's kind and part (13 rows; row 0 is none).
        static let placePhrase = capitalsSentence + 4
        static let count = placePhrase + 13
    }

    /// The form rows (the window's ``windowSize`` x ``labels`` weights of a form summed) as 16-bit
    /// integers: the sum in the file's units, shifted right by ``rowShift`` so the largest fits. Rows of
    /// frequent forms are made at load (the ``vocabulary``); a document makes the rows of its other
    /// forms the same way, so whether a form was precomputed never changes a label.
    let vocabularyRows: [Int16]
    let rowShift: Int32
    /// Per window offset, the row of a neighbour beyond the sentence's edge (``rowShift`` applied).
    let paddingRows: [Int16]
    /// Frequent forms whose rows were made at load.
    let vocabulary: ByteTable
    /// Word classes learned from unlabeled text (empty for a model trained without).
    package let classes: NERWordClasses

    /// Reads a model from its file's bytes.
    package init(bytes: [UInt8]) throws(NERModelError) {
        let header = try Self.header(bytes)
        var reader = header.reader
        let (name, meta, count) = (header.name, header.meta, header.count)
        self.name = name
        self.meta = meta
        self.featureCount = count
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        self.hash = String(hash, radix: 16).leftPadded(to: 16)
        // The header checked that the weights are all there: read them in bulk.
        let keys = Self.littleEndian(UInt64.self, bytes, at: reader.offset, count: count)
        let units = Self.littleEndian(Int16.self, bytes, at: reader.offset + count * 8, count: count * Self.labels)
        _ = reader.take(count * (8 + 2 * Self.labels))
        guard let vocabularyCount = reader.u32() else { throw NERModelError("entity model file is truncated (vocabulary)") }
        var forms: [String] = []
        for _ in 0..<vocabularyCount {
            guard let length = reader.u16(), let form = reader.string(Int(length)) else {
                throw NERModelError("entity model file is truncated (vocabulary)")
            }
            forms.append(form)
        }
        guard let classCount = reader.u32() else { throw NERModelError("entity model file is truncated (word classes)") }
        var classTable: [String: NERWordClasses.Classes] = [:]
        classTable.reserveCapacity(Int(min(classCount, 1 << 22)))
        for _ in 0..<classCount {
            guard let length = reader.u16(), let word = reader.string(Int(length)), let fine = reader.u16(), let coarse = reader.u16() else {
                throw NERModelError("entity model file is truncated (word classes)")
            }
            classTable[word] = NERWordClasses.Classes(fine: fine, coarse: coarse)
        }
        let classes = NERWordClasses(classTable)
        self.classes = classes
        let stored = header.hasRows ? try Self.rowSection(&reader, forms: forms.count) : nil
        try Self.checkEnd(reader, hasRows: header.hasRows)
        // Open addressing, at most half full: a probe that meets another key reads its neighbour.
        var capacity = 16
        while capacity < count * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        for (row, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key) & (capacity - 1)
            while slots[slot].row >= 0 && slots[slot].key != key { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(key: key, row: Int32(row))
        }
        self.slots = slots
        self.slotMask = capacity - 1
        self.units = units

        func sum(_ keys: [UInt64]) -> [Int32] {
            var row = [Int32](repeating: 0, count: Self.labels)
            row.withUnsafeMutableBufferPointer { row in
                guard let start = row.baseAddress else { return }
                Self.add(keys, slots: slots, mask: capacity - 1, units: units, into: start)
            }
            return row
        }
        let histories = 0...NERLabel.start
        var dense: [Int32] = []
        dense.reserveCapacity(Dense.count * Self.labels)
        for before in histories {
            for previous in histories {
                dense += sum([NERFeatures.key(.previous, 0, previous), NERFeatures.key(.previousTwo, 0, before * 32 + previous)])
            }
        }
        for type in 0...NERType.allCases.count { dense += sum([NERFeatures.key(.history, 0, type)]) }
        for previous in histories {
            for written in 0..<8 { dense += sum([NERFeatures.key(.previousCase, 0, previous * 8 + written)]) }
        }
        for usualAndWritten in 0..<32 {
            dense += sum([NERFeatures.key(.documentCase, 0, usualAndWritten)])
            dense += sum([NERFeatures.key(.documentCase, 0, usualAndWritten), NERFeatures.key(.seenLowercase, 0, usualAndWritten % 8)])
        }
        for written in 0..<4 { dense += sum([NERFeatures.key(.sentenceStart, 0, written)]) }
        for usual in 0..<4 { dense += sum([NERFeatures.key(.capitalsSentence, 0, usual)]) }
        for phrase in 0..<13 { dense += sum(phrase == 0 ? [] : [NERFeatures.key(.placePhrase, 0, phrase)]) }
        self.dense = dense

        var vocabulary = ByteTable(capacity: forms.count, keyBytes: forms.reduce(0) { $0 + $1.utf8.count })
        for (index, form) in forms.enumerated() {
            var key = form
            key.withUTF8 { vocabulary.insert($0, id: Int32(index)) }
        }
        self.vocabulary = vocabulary
        let rowLength = Self.windowSize * Self.labels
        if let stored {
            rowShift = stored.shift
            let start = stored.rows.lowerBound
            vocabularyRows = Self.littleEndian(Int16.self, bytes, at: start, count: forms.count * rowLength)
            paddingRows = Self.littleEndian(Int16.self, bytes, at: start + forms.count * rowLength * 2,
                                            count: rowLength)
        } else {
            let (shift, rows) = Self.formRows(forms, classes: classes, slots: slots, mask: capacity - 1, units: units)
            rowShift = shift
            vocabularyRows = Array(rows[..<(forms.count * rowLength)])
            paddingRows = Array(rows[(forms.count * rowLength)...])
        }
    }

    /// `count` little-endian integers at byte `offset` of `bytes`, which the caller has checked hold them:
    /// copied in bulk.
    private static func littleEndian<Integer: FixedWidthInteger>(_: Integer.Type, _ bytes: [UInt8], at offset: Int,
                                                                 count: Int) -> [Integer] {
        precondition(offset >= 0 && count >= 0 && offset + count * MemoryLayout<Integer>.size <= bytes.count)
        return [Integer](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count * MemoryLayout<Integer>.size)]))
            }
            #if _endian(big)
            for index in 0..<count { buffer[index] = Integer(littleEndian: buffer[index]) }
            #endif
            initialized = count
        }
    }

    /// The form rows of `forms` and then the padding row, each the window's weights of the form summed,
    /// shifted right by the returned shift so the largest fits 16 bits.
    private static func formRows(_ forms: [String], classes: NERWordClasses, slots: [Slot], mask: Int,
                                 units: [Int16]) -> (shift: Int32, rows: [Int16]) {
        let rowLength = windowSize * labels
        var sums = [Int32](repeating: 0, count: (forms.count + 1) * rowLength)
        // A form's rows depend on that form alone: the forms are shared out among the processors. Each
        // share writes only its own rows.
        let shares = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let known = !classes.isEmpty
        sums.withUnsafeMutableBufferPointer { buffer in
            guard let start = buffer.baseAddress else { return }
            nonisolated(unsafe) let base = start
            DispatchQueue.concurrentPerform(iterations: shares) { share in
                var scratch: [UInt64] = []
                for index in (forms.count * share / shares)..<(forms.count * (share + 1) / shares) {
                    let form = forms[index]
                    let lower = NERFeatures.lowercase(form)
                    let facts = WordFacts.of(word: lower)
                    let found = classes.classes(of: lower)
                    for (slot, offset) in NERFeatures.window.enumerated() {
                        scratch.removeAll(keepingCapacity: true)
                        NERFeatures.formKeys(form, lower: lower, facts: facts, offset: offset, classes: found, known: known,
                                             into: &scratch)
                        add(scratch, slots: slots, mask: mask, units: units,
                            into: base + index * rowLength + slot * labels)
                    }
                }
            }
            // The padding rows go last, shifted like the others.
            for (slot, offset) in NERFeatures.window.enumerated() {
                add([NERFeatures.paddingKey(offset: offset)], slots: slots, mask: mask, units: units,
                    into: start + forms.count * rowLength + slot * labels)
            }
        }
        let largest = sums.reduce(Int32(0)) { max($0, $1.magnitude > Int32.max.magnitude ? Int32.max : Int32($1.magnitude)) }
        var shift: Int32 = 0
        while largest >> shift > Int32(Int16.max) { shift += 1 }
        return (shift, sums.map { Int16(clamping: $0 >> shift) })
    }

    /// The row of a form whose window weights were summed at load; `hash` is its ``ByteTable/hash(_:)``.
    func vocabularyID(_ form: String, hash: UInt32) -> Int32? {
        var form = form
        return form.withUTF8 { vocabulary.find($0, hash: hash) }
    }

    /// Adds the weights of every feature of `keys` that the model knows to the ``labels`` sums at `sums`,
    /// in the file's units (the tables are opened once for all the keys).
    func add(_ keys: [UInt64], into sums: UnsafeMutablePointer<Int32>) {
        Self.add(keys, slots: slots, mask: slotMask, units: units, into: sums)
    }

    /// ``add(_:into:)`` over the tables being built at load.
    private static func add(_ keys: some Sequence<UInt64>, slots: [Slot], mask: Int, units: [Int16], into sums: UnsafeMutablePointer<Int32>) {
        slots.withUnsafeBufferPointer { slots in
            units.withUnsafeBufferPointer { units in
                guard let slotBase = slots.baseAddress, let unitBase = units.baseAddress else { return }
                for key in keys {
                    var slot = Int(truncatingIfNeeded: key) & mask
                    while true {
                        let entry = slotBase[slot]
                        if entry.row < 0 { break }
                        if entry.key == key {
                            // Rows were numbered below the file's feature count: each has its weights.
                            let from = unitBase + Int(entry.row) * labels
                            let row = SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(from).loadUnaligned(as: SIMD16<Int16>.self))
                            let sum = UnsafeMutableRawPointer(sums)
                            sum.storeBytes(of: sum.loadUnaligned(as: SIMD16<Int32>.self) &+ row, as: SIMD16<Int32>.self)
                            sums[16] &+= Int32(from[16])
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

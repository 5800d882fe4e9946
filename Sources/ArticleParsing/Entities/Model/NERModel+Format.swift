import NewsModel

/// The file's layout, read and written: the header and its checks, the sections' structure (what
/// `config check` validates without building a model), and the bytes `ner train` writes.
extension NERModel {
    /// What a file says before its weights, checked: magic, version, checksum, name, meta, labels.
    struct Header {
        var reader: Reader
        var name: String
        var meta: String
        var count: Int
        var scale: Float
        /// Whether the file holds the vocabulary's form rows (version 2).
        var hasRows: Bool
    }

    static func header(_ bytes: [UInt8]) throws(NERModelError) -> Header {
        var reader = Reader(bytes: bytes)
        guard bytes.count >= Self.magic.count + 8, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw NERModelError("not a newsflow entity model (no NFNERMDL magic number at its start)")
        }
        reader.offset = Self.magic.count
        guard let version = reader.u32(), version == 1 || version == Self.formatVersion else {
            throw NERModelError(
                "entity model format version \(reader.lastU32) is not supported "
                    + "(this newsflow reads versions 1 and \(Self.formatVersion))")
        }
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        guard CRC32.checksum(bytes[..<(bytes.count - 4)]) == stored else {
            throw NERModelError("entity model file is truncated or damaged (its CRC-32 does not match its content)")
        }
        guard let nameLength = reader.u32(), let name = reader.string(Int(nameLength)),
              let metaLength = reader.u32(), let meta = reader.string(Int(metaLength)),
              let labelCount = reader.u32(), let featureCount = reader.u32(), let scaleBits = reader.u32()
        else { throw NERModelError("entity model file is truncated (header)") }
        guard labelCount == UInt32(Self.labels) else {
            throw NERModelError("entity model has \(labelCount) labels; this newsflow tags with \(Self.labels) (BILOU over PER, ORG, LOC, MISC)")
        }
        let count = Int(featureCount)
        guard count > 0, reader.remaining >= count * (8 + 2 * Self.labels) + 8 else {
            throw NERModelError("entity model file is truncated (weights)")
        }
        let scale = Float(bitPattern: scaleBits)
        guard scale.isFinite, scale > 0 else { throw NERModelError("entity model file has a weight scale of \(scale); it must be positive") }
        return Header(reader: reader, name: name, meta: meta, count: count, scale: scale, hasRows: version >= 2)
    }

    /// The form rows' section of a version 2 file, at `reader`: the shift, the number of rows (the
    /// vocabulary's, then the padding row), and the rows; nothing but the checksum may follow.
    static func rowSection(_ reader: inout Reader, forms: Int)
        throws(NERModelError) -> (shift: Int32, rows: Range<Int>) {
        guard let shift = reader.u32(), let rowCount = reader.u32() else {
            throw NERModelError("entity model file is truncated (form rows)")
        }
        guard shift < 32 else {
            throw NERModelError("entity model file has a form row shift of \(shift); it must be below 32")
        }
        guard Int(rowCount) == forms + 1 else {
            throw NERModelError(
                "entity model file has \(rowCount) form rows for a vocabulary of \(forms) forms and the padding")
        }
        let start = reader.offset
        let length = Int(rowCount) * windowSize * labels * 2
        guard reader.take(length) != nil else { throw NERModelError("entity model file is truncated (form rows)") }
        return (Int32(shift), start..<(start + length))
    }

    /// Checks a model file's structure and checksum without building the model (what `config check` and
    /// every role do at start; only workers load it): the same errors as ``init(bytes:)``.
    package static func validate(bytes: [UInt8]) throws(NERModelError) {
        let header = try header(bytes)
        var reader = header.reader
        _ = reader.take(header.count * (8 + 2 * labels))
        guard let vocabularyCount = reader.u32() else { throw NERModelError("entity model file is truncated (vocabulary)") }
        for _ in 0..<vocabularyCount {
            guard let length = reader.u16(), reader.take(Int(length)) != nil else {
                throw NERModelError("entity model file is truncated (vocabulary)")
            }
        }
        guard let classCount = reader.u32() else { throw NERModelError("entity model file is truncated (word classes)") }
        for _ in 0..<classCount {
            guard let length = reader.u16(), reader.take(Int(length) + 4) != nil else {
                throw NERModelError("entity model file is truncated (word classes)")
            }
        }
        if header.hasRows { _ = try rowSection(&reader, forms: Int(vocabularyCount)) }
        try checkEnd(reader, hasRows: header.hasRows)
    }

    /// Only the checksum may follow the last section, and the last section may not run into it.
    static func checkEnd(_ reader: Reader, hasRows: Bool) throws(NERModelError) {
        let last = hasRows ? "form rows" : "word classes"
        guard reader.remaining >= 4 else { throw NERModelError("entity model file is truncated (\(last))") }
        guard reader.remaining == 4 else {
            throw NERModelError("entity model file has \(reader.remaining - 4) unexpected bytes after its \(last)")
        }
    }


    // MARK: - Writing

    /// The bytes of a model file: `weights` holds ``labels`` floats per key, keys in any order.
    ///
    /// The vocabulary's form rows are what loading the file without them (version 1) would sum, so a
    /// model tags the same whichever version it is read from; writing them saves every worker and every
    /// `newsflow parse` that work at start.
    package static func serialize(name: String, meta: String, keys: [UInt64], weights: [Float],
                                  vocabulary: [String], classes: NERWordClasses) throws(NERModelError) -> [UInt8] {
        let withoutRows = versionOne(name: name, meta: meta, keys: keys, weights: weights, vocabulary: vocabulary,
                                     classes: classes)
        let model = try NERModel(bytes: withoutRows)
        var bytes = Array(withoutRows.dropLast(4))
        withUnsafeBytes(of: formatVersion.littleEndian) {
            bytes.replaceSubrange(magic.count..<(magic.count + 4), with: $0)
        }
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        u32(UInt32(model.rowShift))
        u32(UInt32(vocabulary.count + 1))
        for row in [model.vocabularyRows, model.paddingRows] {
            for value in row { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        u32(CRC32.checksum(bytes))
        return bytes
    }

    /// The bytes of a version 1 file: everything but the form rows.
    private static func versionOne(name: String, meta: String, keys: [UInt64], weights: [Float],
                                   vocabulary: [String], classes: NERWordClasses) -> [UInt8] {
        precondition(weights.count == keys.count * labels, "one row of label weights per feature")
        var bytes = magic
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        u32(1)
        u32(UInt32(name.utf8.count)); bytes.append(contentsOf: name.utf8)
        u32(UInt32(meta.utf8.count)); bytes.append(contentsOf: meta.utf8)
        u32(UInt32(labels))
        u32(UInt32(keys.count))
        let largest = weights.reduce(Float(0)) { max($0, abs($1)) }
        let scale = largest > 0 ? largest / 32767 : 1
        u32(scale.bitPattern)
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        for index in order { u64(keys[index]) }
        for index in order {
            for label in 0..<labels {
                let value = Int16(clamping: Int((weights[index * labels + label] / scale).rounded()))
                withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        u32(UInt32(vocabulary.count))
        for form in vocabulary {
            let utf8 = Array(form.utf8.prefix(Int(UInt16.max)))
            withUnsafeBytes(of: UInt16(utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: utf8)
        }
        let words = classes.table.keys.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
        u32(UInt32(words.count))
        for word in words {
            let utf8 = Array(word.utf8.prefix(Int(UInt16.max)))
            guard let found = classes.classes(of: word) else { continue }
            for value in [UInt16(utf8.count)] { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
            bytes.append(contentsOf: utf8)
            withUnsafeBytes(of: found.fine.littleEndian) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: found.coarse.littleEndian) { bytes.append(contentsOf: $0) }
        }
        u32(CRC32.checksum(bytes))
        return bytes
    }

    /// Little-endian reads that say `nil` past the end instead of trapping.
    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var lastU32: UInt32 = 0
        var remaining: Int { bytes.count - offset }

        mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, remaining >= count else { return nil }
            defer { offset += count }
            return bytes[offset..<(offset + count)]
        }
        mutating func u16() -> UInt16? {
            guard let slice = take(2) else { return nil }
            return slice.reversed().reduce(0) { $0 << 8 | UInt16($1) }
        }
        mutating func u32() -> UInt32? {
            guard let slice = take(4) else { return nil }
            lastU32 = slice.reversed().reduce(0) { $0 << 8 | UInt32($1) }
            return lastU32
        }
        mutating func string(_ count: Int) -> String? {
            guard let slice = take(count) else { return nil }
            return String(validating: slice, as: UTF8.self)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Open-addressing hash table from byte strings (a token's bytes, a lowercased word) to ids. Keys are
/// kept as bytes in one buffer, so finding a key already seen allocates nothing.
///
/// Every table hashes with the same function, so a caller that looks the same bytes up in several
/// tables (a lowercase word in the text's forms, its vocabulary and the word lists) hashes them once
/// (``hash(_:)``) and passes the hash along.
struct ByteTable: Sendable {
    /// Where a key's bytes are in `keys`.
    private struct Entry {
        var start: Int32
        var length: Int32
    }

    /// Each slot holds a key's hash (high half) and id (low half), so a probe that meets another key
    /// reads nothing else: one cache line per lookup for most words, found or not.
    private var slots: [UInt64]
    private static let empty = UInt64.max
    private var entries: [Entry] = []
    private var keys: [UInt8] = []

    /// A table sized for about `capacity` keys of about `keyBytes` bytes in all before it first grows.
    init(capacity: Int = 512, keyBytes: Int = 0) {
        var slotCount = 64
        while slotCount < capacity * 2 { slotCount *= 2 }
        slots = [UInt64](repeating: Self.empty, count: slotCount)
        entries.reserveCapacity(capacity)
        keys.reserveCapacity(keyBytes)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash ^ (hash >> 16)
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { find(bytes, hash: Self.hash(bytes)) }

    /// The id of `bytes`, whose ``hash(_:)`` is `hash`, if the table has them.
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keys.withUnsafeBufferPointer { keys in
                    let mask = slots.count - 1
                    var slot = Int(hash) & mask
                    while true {
                        let value = slots[slot]
                        if value == Self.empty { return nil }
                        if UInt32(truncatingIfNeeded: value >> 32) == hash {
                            let id = Int32(truncatingIfNeeded: value)
                            let entry = entries[Int(id)]
                            if Int(entry.length) == bytes.count, Self.equal(keys, from: Int(entry.start), bytes) {
                                return id
                            }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Whether the key stored at `start` is `bytes` (lengths already equal). Words are short: a loop
    /// beats a call to `memcmp` up to a few words' length.
    @inline(__always)
    private static func equal(_ keys: UnsafeBufferPointer<UInt8>, from start: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stored = keys.baseAddress, let wanted = bytes.baseAddress else { return true }
        let count = bytes.count
        if count > 24 { return memcmp(stored + start, wanted, count) == 0 }
        var offset = 0
        while offset < count {
            if stored[start + offset] != wanted[offset] { return false }
            offset += 1
        }
        return true
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, id: Int32) { insert(bytes, hash: Self.hash(bytes), id: id) }

    /// Adds a key not in the table, whose ``hash(_:)`` is `hash`, with the next id (ids are given in
    /// order: 0, 1, 2...).
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32, id: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append(Entry(start: Int32(truncatingIfNeeded: keys.count), length: Int32(truncatingIfNeeded: bytes.count)))
        keys.append(contentsOf: bytes)
        place(UInt64(hash) << 32 | UInt64(UInt32(bitPattern: id)))
    }

    private mutating func place(_ value: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: value >> 32) & mask
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = value
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: Self.empty, count: slots.count * 2)
        for value in old where value != Self.empty { place(value) }
    }
}

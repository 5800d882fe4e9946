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
    private struct Entry {
        var hash: UInt32
        var length: Int32
        var start: Int
    }

    private var slots: [Int32]
    private var entries: [Entry] = []
    private var keys: [UInt8] = []

    /// A table sized for about `capacity` keys of about `keyBytes` bytes in all before it first grows.
    init(capacity: Int = 512, keyBytes: Int = 0) {
        var slotCount = 64
        while slotCount < capacity * 2 { slotCount *= 2 }
        slots = [Int32](repeating: -1, count: slotCount)
        entries.reserveCapacity(capacity)
        keys.reserveCapacity(keyBytes)
    }

    var count: Int { entries.count }

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
                        let id = slots[slot]
                        if id < 0 { return nil }
                        let entry = entries[Int(id)]
                        if entry.hash == hash, Int(entry.length) == bytes.count,
                           Self.equal(keys, from: entry.start, bytes) {
                            return id
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
        entries.append(Entry(hash: hash, length: Int32(bytes.count), start: keys.count))
        keys.append(contentsOf: bytes)
        place(id, hash: hash)
    }

    private mutating func place(_ id: Int32, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for id in entries.indices { place(Int32(id), hash: entries[id].hash) }
    }
}

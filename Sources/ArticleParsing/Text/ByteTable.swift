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

    /// A slot: a key's hash and id, and its first seven bytes with its length in the top byte. A key of
    /// seven bytes or fewer (most words) is compared whole from its slot, so a lookup reads one cache
    /// line, found or not; a longer key compares the rest from `keys`.
    private struct Slot {
        var hash: UInt32
        var id: Int32
        var head: UInt64
    }

    private var slots: [Slot]
    private static let empty = Slot(hash: 0, id: -1, head: 0)
    private var entries: [Entry] = []
    private var keys: [UInt8] = []

    /// A table sized for about `capacity` keys of about `keyBytes` bytes in all before it first grows.
    init(capacity: Int = 512, keyBytes: Int = 0) {
        var slotCount = 64
        while slotCount < capacity * 2 { slotCount *= 2 }
        slots = [Slot](repeating: Self.empty, count: slotCount)
        entries.reserveCapacity(capacity)
        keys.reserveCapacity(keyBytes)
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash ^ (hash >> 16)
    }

    /// The first seven bytes of a key (little-endian) and its length (at most 255) in the top byte.
    @inline(__always)
    private static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let length = UInt64(min(bytes.count, 255)) << 56
        if bytes.count >= 8, let base = bytes.baseAddress {
            return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) & 0x00FF_FFFF_FFFF_FFFF | length
        }
        var head = length
        for offset in 0..<bytes.count { head |= UInt64(bytes[offset]) << (8 * UInt64(offset)) }
        return head
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? { find(bytes, hash: Self.hash(bytes)) }

    /// The id of `bytes`, whose ``hash(_:)`` is `hash`, if the table has them.
    @inline(__always)
    func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        let head = Self.head(bytes)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(hash) & mask
            while true {
                let value = slots[slot]
                if value.id < 0 { return nil }
                if value.hash == hash, value.head == head {
                    if bytes.count <= 7 || restEqual(id: value.id, bytes) { return value.id }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Whether the bytes after the seventh of the key `id` (whose length and head matched) are those of
    /// `bytes`. Words are short: a loop beats a call to `memcmp` up to a few words' length.
    private func restEqual(id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[Int(id)]
        guard Int(entry.length) == bytes.count else { return false }
        return keys.withUnsafeBufferPointer { keys in
            guard let stored = keys.baseAddress, let wanted = bytes.baseAddress else { return true }
            let start = Int(entry.start)
            let count = bytes.count
            if count > 24 { return memcmp(stored + start, wanted, count) == 0 }
            var offset = 7
            while offset < count {
                if stored[start + offset] != wanted[offset] { return false }
                offset += 1
            }
            return true
        }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, id: Int32) { insert(bytes, hash: Self.hash(bytes), id: id) }

    /// Adds a key not in the table, whose ``hash(_:)`` is `hash`, with the next id (ids are given in
    /// order: 0, 1, 2...).
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32, id: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        entries.append(Entry(start: Int32(truncatingIfNeeded: keys.count), length: Int32(truncatingIfNeeded: bytes.count)))
        keys.append(contentsOf: bytes)
        place(Slot(hash: hash, id: id, head: Self.head(bytes)))
    }

    private mutating func place(_ value: Slot) {
        let mask = slots.count - 1
        var slot = Int(value.hash) & mask
        while slots[slot].id >= 0 { slot = (slot + 1) & mask }
        slots[slot] = value
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Self.empty, count: slots.count * 2)
        for value in old where value.id >= 0 { place(value) }
    }
}

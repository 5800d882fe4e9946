#if canImport(Glibc)
import Glibc
#endif

/// Open-addressing hash table from byte strings (a token's bytes, a lowercased word) to ids. Keys are
/// kept as bytes in one buffer, so finding a key already seen allocates nothing.
struct ByteTable: Sendable {
    private struct Entry {
        var hash: UInt32
        var length: Int32
        var start: Int
    }

    private var slots = [Int32](repeating: -1, count: 1024)
    private var entries: [Entry] = []
    private var keys: [UInt8] = []

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash ^ (hash >> 16)
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = Self.hash(bytes)
        return slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keys.withUnsafeBufferPointer { keys in
                    let mask = slots.count - 1
                    var slot = Int(hash) & mask
                    while true {
                        let id = slots[slot]
                        if id < 0 { return nil }
                        let entry = entries[Int(id)]
                        if entry.hash == hash, Int(entry.length) == bytes.count {
                            guard let stored = keys.baseAddress, let wanted = bytes.baseAddress else { return id }
                            if memcmp(stored + entry.start, wanted, bytes.count) == 0 { return id }
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// Adds a key not in the table, with the next id (ids are given in order: 0, 1, 2...).
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, id: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(bytes)
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

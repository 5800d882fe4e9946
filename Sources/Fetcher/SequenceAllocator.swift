import Foundation

/// Hands out strictly increasing sequence numbers that stay increasing across restarts and crashes.
///
/// Numbers are reserved in blocks: before the first number of a block is used, the block's end is written
/// and synced to `state/fetcher.seq`. A crash wastes at most the rest of one block, never reuses a number.
struct SequenceAllocator {
    private let url: URL
    private let block: UInt64
    private var next: UInt64
    private var reservedUpTo: UInt64

    init(stateFolder: URL, block: UInt64 = 10_000) throws {
        self.url = stateFolder.appendingPathComponent("fetcher.seq")
        self.block = block
        let stored = (try? String(contentsOf: url, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        self.next = stored + 1
        self.reservedUpTo = stored
    }

    /// The next sequence number.
    mutating func allocate() throws -> UInt64 {
        if next > reservedUpTo {
            let end = reservedUpTo + block
            try Self.persist(end, to: url)
            reservedUpTo = end
        }
        defer { next += 1 }
        return next
    }

    private static func persist(_ value: UInt64, to url: URL) throws {
        let temporary = url.appendingPathExtension("tmp")
        let data = Data("\(value)\n".utf8)
        let handle = try FileHandle(forWritingTo: { () -> URL in
            _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
            return temporary
        }())
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        _ = try FileManager.default.replaceItemAt(url, withItemAt: temporary)
    }
}

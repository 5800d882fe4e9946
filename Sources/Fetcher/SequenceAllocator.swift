import Foundation
import RoleSupport

#if canImport(Glibc)
import Glibc
#endif

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

    /// Writes `value` to a temporary file, syncs it and renames it over the state file (atomic on POSIX).
    private static func persist(_ value: UInt64, to url: URL) throws {
        let temporary = url.appendingPathExtension("tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw RoleError(.storage, "cannot create \(temporary.path): check that the state folder is writable")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: Data("\(value)\n".utf8))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, url.path) == 0 else {
            throw RoleError(.storage, "cannot replace \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}

import Foundation
import RoleSupport

#if canImport(Glibc)
import Glibc
#endif

/// An append-only JSON Lines file: lines are buffered, written with `write(2)` and made durable with
/// `fsync(2)` by ``sync()``. Nothing is acknowledged before `sync()` returns. The file is created on the
/// first sync that has lines to write, so a run with no dead letters leaves no empty dead-letter file.
final class JSONLinesFile {
    let url: URL
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    /// Bytes written to the file by this process.
    private(set) var bytesWritten = 0
    /// The file's size after the last sync that completed (-1 until the file is opened).
    private var committedSize: off_t = -1

    /// A file at `url`, not yet opened.
    init(url: URL) {
        self.url = url
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    private func openIfNeeded() throws(RoleError) -> Int32 {
        if descriptor >= 0 { return descriptor }
        let opened = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else {
            throw RoleError(.storage, "cannot open \(url.path) for writing: \(String(cString: strerror(errno)))")
        }
        descriptor = opened
        return opened
    }

    /// Buffers one line (a newline is added).
    func append(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Buffers bytes as they are (no newline added).
    func appendRaw(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Whether lines are buffered but not yet synced.
    var hasPending: Bool { !buffer.isEmpty }

    /// Writes the buffered lines and syncs them to disk. If either fails (a full disk), the file is cut
    /// back to where it was and every buffered line is kept, so the same call can be made again later
    /// and the file never holds part of a line or a line twice.
    func sync(durably: Bool = true) throws(RoleError) {
        guard !buffer.isEmpty else { return }
        let descriptor = try openIfNeeded()
        if committedSize < 0 { committedSize = lseek(descriptor, 0, SEEK_END) }
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(descriptor, base + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                cutBack(descriptor)
                throw RoleError(.storage, "cannot write \(url.path): \(reason); nothing unwritten is acknowledged")
            }
            written += result
        }
        if durably {
            while fsync(descriptor) != 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                cutBack(descriptor)
                throw RoleError(.storage, "cannot sync \(url.path): \(reason); nothing unsynced is acknowledged")
            }
        }
        committedSize += off_t(buffer.count)
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Cuts the file back to its last completed sync (a failed write may have left part of a line).
    private func cutBack(_ descriptor: Int32) {
        if committedSize >= 0 { _ = ftruncate(descriptor, committedSize) }
    }

    /// Cuts a torn last line (no final newline, from a crash mid-write) off an existing file, so every line
    /// left is whole. The cut article was never acknowledged and will be redelivered.
    static func repairTornTail(_ url: URL) throws(RoleError) -> Int {
        // Only the tail is read: back from the end in blocks until the last newline.
        guard let handle = try? FileHandle(forReadingFrom: url) else { return 0 }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return 0 }
        var end = size
        var keep: UInt64 = 0
        while end > 0 {
            let start = end >= 65_536 ? end - 65_536 : 0
            guard (try? handle.seek(toOffset: start)) != nil,
                  let block = try? handle.read(upToCount: Int(end - start))
            else { return 0 }
            if end == size, block.last == UInt8(ascii: "\n") { return 0 }
            if let newline = block.lastIndex(of: UInt8(ascii: "\n")) {
                keep = start + UInt64(newline - block.startIndex) + 1
                break
            }
            end = start
        }
        guard truncate(url.path, off_t(keep)) == 0 else {
            throw RoleError(.storage, "cannot cut the torn last line of \(url.path): \(String(cString: strerror(errno)))")
        }
        return Int(size - keep)
    }

}

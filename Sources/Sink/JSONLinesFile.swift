import Foundation
import RoleSupport

#if canImport(Glibc)
import Glibc
#endif

/// An append-only JSON Lines file: lines are buffered, written with `write(2)` and made durable with
/// `fsync(2)` by ``sync()``. Nothing is acknowledged before `sync()` returns.
final class JSONLinesFile {
    let url: URL
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Opens (creating) `url` for appending.
    init(url: URL) throws(RoleError) {
        self.url = url
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RoleError(.storage, "cannot open \(url.path) for writing: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Buffers one line (a newline is added).
    func append(_ line: [UInt8]) {
        buffer.append(contentsOf: line)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Whether lines are buffered but not yet synced.
    var hasPending: Bool { !buffer.isEmpty }

    /// Writes the buffered lines and syncs them to disk.
    func sync() throws(RoleError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(descriptor, base + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                // Keep what was not written; a partial line on disk is cut off on the next start.
                buffer.removeFirst(written)
                throw RoleError(.storage, "cannot write \(url.path): \(reason); nothing unwritten is acknowledged")
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw RoleError(.storage, "cannot sync \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Cuts a torn last line (no final newline, from a crash mid-write) off an existing file, so every line
    /// left is whole. The cut article was never acknowledged and will be redelivered.
    static func repairTornTail(_ url: URL) throws(RoleError) -> Int {
        guard let data = FileManager.default.contents(atPath: url.path), let last = data.last,
              last != UInt8(ascii: "\n")
        else { return 0 }
        let keep = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        guard truncate(url.path, off_t(keep)) == 0 else {
            throw RoleError(.storage, "cannot cut the torn last line of \(url.path): \(String(cString: strerror(errno)))")
        }
        return data.count - keep
    }
}

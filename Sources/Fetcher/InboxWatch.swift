import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Linux inotify on the drop folder: the names of files whose writer closed them, or that were renamed
/// into the folder, as soon as it happens, so a file dropped into an idle pipeline is taken at once
/// instead of at the next scan. Scans go on as before: they find what the kernel could not report (a
/// queue overflow, files already there at start, a folder inotify cannot watch).
final class InboxWatch {
    /// What the kernel reported since the last read.
    struct Notice {
        /// Names (escaped like the scan's, ``InboxName``) a writer closed or renamed into the folder.
        var names: [String] = []
        /// The kernel dropped events: only a full scan can tell what changed.
        var overflowed = false
    }

    /// The inotify descriptor, readable when something happened (for the fetcher's poll).
    let descriptor: Int32

    /// Watches `folder`; `nil` (with a log line) where inotify is not available, and scans alone serve.
    init?(folder: String, logger: Logger) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            logger.warning("cannot watch the drop folder (inotify); it is scanned every fetcher.inbox.scan_ms instead",
                           metadata: ["error": "\(String(cString: strerror(errno)))"])
            return nil
        }
        guard inotify_add_watch(descriptor, folder, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)) >= 0 else {
            logger.warning("cannot watch the drop folder (inotify); it is scanned every fetcher.inbox.scan_ms instead",
                           metadata: ["inbox.path": "\(folder)", "error": "\(String(cString: strerror(errno)))"])
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Everything the kernel has queued, without waiting.
    func read() -> Notice {
        var notice = Notice()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            Self.parse(buffer[..<count], into: &notice)
        }
        return notice
    }

    /// Events are `struct inotify_event` (wd, mask, cookie, len: 16 bytes) followed by `len` bytes of
    /// NUL-padded name.
    static func parse(_ bytes: ArraySlice<UInt8>, into notice: inout Notice) {
        var offset = bytes.startIndex
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        while offset + 16 <= bytes.endIndex {
            let mask = u32(offset + 4)
            let length = Int(u32(offset + 12))
            let nameStart = offset + 16
            guard nameStart + length <= bytes.endIndex else { break }
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { notice.overflowed = true }
            let name = bytes[nameStart..<(nameStart + length)].prefix { $0 != 0 }
            if !name.isEmpty, mask & UInt32(IN_ISDIR) == 0 { notice.names.append(InboxName.escape(Array(name))) }
            offset = nameStart + length
        }
    }
}

import Foundation

/// Compresses closed output files on a thread of its own, one at a time, in the order they closed.
///
/// gzip of a 128 MiB file takes seconds. Done in the sink's loop, it held every result and every
/// acknowledgement for that long at each rotation. Here the loop only hands over the closed file's name.
/// A closed file is complete and synced before it is handed over, and ``SegmentCompressor/compress(_:)``
/// is safe against a crash at any step. So a sink killed mid-compression loses nothing: its next start
/// finishes the job (``SegmentCompressor/tidy(folder:compress:logger:)``).
final class BackgroundCompressor: @unchecked Sendable {
    // Every stored property below is read and written only with `condition` locked.
    private let condition = NSCondition()
    private var queue: [URL] = []
    private var busy = false
    private var finishing = false
    private var failures: [String] = []
    private var thread: Thread?

    init() {}

    /// Queues a closed, synced file for compression; starts the thread on first use.
    func enqueue(_ url: URL) {
        condition.lock()
        defer { condition.unlock() }
        queue.append(url)
        if thread == nil {
            let thread = Thread { [self] in work() }
            thread.name = "compress"
            self.thread = thread
            thread.start()
        }
        condition.signal()
    }

    /// Why files could not be compressed since the last call (for the log); each failed file stays as it
    /// is, and the next start compresses it.
    func takeFailures() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        defer { failures.removeAll() }
        return failures
    }

    /// Files queued or being compressed.
    var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count + (busy ? 1 : 0)
    }

    /// Compresses what is queued, then stops the thread; returns when it is done (at the sink's stop).
    func finish() {
        condition.lock()
        finishing = true
        condition.broadcast()
        while thread != nil && (busy || !queue.isEmpty) { condition.wait() }
        condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while queue.isEmpty && !finishing { condition.wait() }
            guard !queue.isEmpty else {
                thread = nil
                condition.broadcast()
                condition.unlock()
                return
            }
            let url = queue.removeFirst()
            busy = true
            condition.unlock()
            var failure: String?
            do {
                try SegmentCompressor.compress(url)
            } catch {
                try? FileManager.default.removeItem(at: url.appendingPathExtension("gz").appendingPathExtension("tmp"))
                failure = "\(url.lastPathComponent): \(error)"
            }
            condition.lock()
            busy = false
            if let failure { failures.append(failure) }
            condition.broadcast()
            condition.unlock()
        }
    }
}

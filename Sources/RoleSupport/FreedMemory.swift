#if canImport(Glibc)
import Glibc
#endif

/// Gives memory a role has freed back to the system, every `interval`.
///
/// glibc keeps freed memory in its heaps for reuse, so a role that held a backlog once (results queued
/// in libzmq while its disk was full or while it compressed a file, one huge article) would keep that peak
/// resident for the rest of its life, and months of such episodes read as a leak. Measured in the soak
/// (bench/soak.py): a sink paused on a full out/ kept 14 MB of its 28 MB of heap free but resident. The
/// release is periodic rather than tied to the episode's end, because the backlog is freed only as it is
/// worked off, after the episode. A role calls ``releaseIfDue(now:)`` from its loop; glibc's
/// `malloc_trim` then returns the free pages of every heap. Elsewhere, or where the C library has no
/// `malloc_trim`, it does nothing.
public struct FreedMemory {
    private let interval: Duration
    private var next: ContinuousClock.Instant

    public init(every interval: Duration = .seconds(30)) {
        self.interval = interval
        self.next = .now + interval
    }

    /// Releases freed memory if `interval` has passed since the last time.
    public mutating func releaseIfDue(now: ContinuousClock.Instant) {
        guard now >= next else { return }
        next = now + interval
        _ = Self.trim?(0)
    }

    /// `malloc_trim` from the C library the process runs with (the Glibc module does not export
    /// `<malloc.h>`), looked up once.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()
}

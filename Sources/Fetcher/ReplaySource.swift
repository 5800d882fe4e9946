import Foundation
import Logging
import NewsModel

#if canImport(Glibc)
import Glibc
#endif

/// Replay as a source of the fetcher: takes stored articles as fast as the window allows (backpressure,
/// not sleeps), or at `--rate N` per second, or at the original pace scaled by `--speed X`; remembers how
/// far it got, so `--resume` continues after the last position whose articles were all acknowledged.
final class ReplaySource {
    struct Settings: Sendable {
        var paths: [String]
        var filter: ReplayReader.Filter
        var rate: Double
        var speed: Double
        var resume: Bool
    }

    private let reader: ReplayReader
    private let settings: Settings
    private let positionURL: URL
    private let logger: Logger
    private let started = ContinuousClock.now
    private var taken = 0
    private var bytes = 0
    private var exhausted = false
    private var firstOriginal: Date?
    private var lookahead: (raw: RawArticle, position: Int)?
    /// Reader position after each admitted article, by sequence number, until acknowledged.
    private var outstanding: [UInt64: Int] = [:]
    private var lastProgress = ContinuousClock.now
    private var lastSaved = ContinuousClock.now
    private let total: Int
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(settings: Settings, stateFolder: URL, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        self.positionURL = stateFolder.appendingPathComponent("replay.position")
        self.reader = try ReplayReader(paths: settings.paths, filter: settings.filter)
        self.total = reader.countLines()
        if settings.resume, let saved = Self.savedPosition(positionURL, paths: settings.paths) {
            try reader.skip(saved)
            logger.info("replay resumes", metadata: ["replay.position": "\(saved)", "replay.total": "\(total)"])
        } else {
            logger.info("replay starts", metadata: ["replay.total": "\(total)", "replay.sources": "\(settings.paths)"])
        }
    }

    /// Whether every stored article was taken.
    var isExhausted: Bool { exhausted }

    /// Up to `limit` articles that may be sent now, each with its position (lines read up to and
    /// including it).
    func take(limit: Int, now: ContinuousClock.Instant) throws -> [(raw: RawArticle, position: Int)] {
        var result: [(raw: RawArticle, position: Int)] = []
        while result.count < limit, !exhausted {
            let next: (raw: RawArticle, position: Int)
            if let lookahead {
                next = lookahead
            } else if let raw = try reader.next() {
                next = (raw, reader.consumed)
            } else {
                exhausted = true
                break
            }
            lookahead = next
            guard isDue(next.raw, now: now) else { break }
            lookahead = nil
            taken += 1
            bytes += next.raw.body.count
            result.append(next)
        }
        return result
    }

    /// The fetcher gave the article at `position` sequence number `seq`.
    func admitted(seq: UInt64, position: Int) {
        outstanding[seq] = position
    }

    /// The sink acknowledged `seq`.
    func acknowledged(seq: UInt64) {
        outstanding[seq] = nil
    }

    /// Saves the resume position and reports progress, at most every second or two.
    func tick(now: ContinuousClock.Instant, outstandingCount: Int) {
        if now - lastSaved >= .seconds(1) || (exhausted && outstanding.isEmpty) {
            save()
            lastSaved = now
        }
        guard now - lastProgress >= .seconds(isTerminal ? 0.5 : 5) else { return }
        lastProgress = now
        let elapsed = max(0.001, Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18)
        let rate = Double(taken) / elapsed
        let remaining = max(0, total - reader.consumed)
        let eta = rate > 0 ? Int(Double(remaining) / rate) : 0
        let line = String(format: "replay: %d of %d taken, %.0f/s, %.1f MB, %d in flight, ETA %ds",
                          taken, total, rate, Double(bytes) / 1e6, outstandingCount, eta)
        if isTerminal {
            FileHandle.standardError.write(Data(("\r" + line + "   ").utf8))
        } else {
            logger.info("replay progress", metadata: [
                "replay.taken": "\(taken)", "replay.total": "\(total)", "replay.rate": "\(Int(rate))",
                "replay.bytes": "\(bytes)", "replay.eta_s": "\(eta)",
            ])
        }
    }

    /// Writes the position up to which everything was acknowledged.
    func save() {
        // Everything before the earliest unacknowledged article is done; with none outstanding, everything
        // read so far except an article held back by pacing.
        let position = outstanding.values.min().map { max(0, $0 - 1) } ?? (lookahead.map { $0.position - 1 } ?? reader.consumed)
        let state = SavedPosition(paths: settings.paths, position: position)
        guard let data = try? JSONEncoder().encode(state) else { return }
        let temporary = positionURL.appendingPathExtension("tmp")
        if (try? data.write(to: temporary)) != nil { _ = rename(temporary.path, positionURL.path) }
        if exhausted && outstanding.isEmpty && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func isDue(_ raw: RawArticle, now: ContinuousClock.Instant) -> Bool {
        let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
        if settings.rate > 0, Double(taken) >= elapsed * settings.rate { return false }
        if settings.speed > 0, let original = ReplayTime.parse(raw.fetchedAt) {
            let first = firstOriginal ?? original
            firstOriginal = first
            if original.timeIntervalSince(first) / settings.speed > elapsed { return false }
        }
        return true
    }

    private struct SavedPosition: Codable {
        var paths: [String]
        var position: Int
    }

    private static func savedPosition(_ url: URL, paths: [String]) -> Int? {
        guard let data = FileManager.default.contents(atPath: url.path),
              let saved = try? JSONDecoder().decode(SavedPosition.self, from: data), saved.paths == paths
        else { return nil }
        return saved.position
    }
}

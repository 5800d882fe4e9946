import Foundation
import StreamFiles
import Logging
import RoleSupport

#if canImport(Glibc)
import Glibc
#endif

/// gzip for closed output files, crash-safe: the compressed copy is written to `X.jsonl.gz.tmp`, synced,
/// renamed to `X.jsonl.gz`, and only then is `X.jsonl` removed. A crash at any step leaves either the
/// original whole, or a complete `.gz` next to it; ``tidy(folder:compress:logger:)`` finishes the job at
/// start. A `.gz` file therefore never looks complete unless it is.
enum SegmentCompressor {
    /// Compresses one closed file, streaming it: memory does not grow with the file.
    static func compress(_ url: URL) throws(RoleError) {
        let target = url.appendingPathExtension("gz")
        let temporary = target.appendingPathExtension("tmp")
        let file = JSONLinesFile(url: temporary)
        do {
            try Gzip.compress(file: url) { bytes in
                file.appendRaw(bytes)
                // Written out in steps, synced once at the end.
                try file.sync(durably: false)
            }
        } catch let error as RoleError {
            throw error
        } catch {
            throw RoleError(.storage, "cannot compress \(url.path)", underlying: error)
        }
        try file.sync()
        guard rename(temporary.path, target.path) == 0 else {
            throw RoleError(.storage, "cannot rename \(temporary.path): \(String(cString: strerror(errno)))")
        }
        guard unlink(url.path) == 0 else {
            throw RoleError(.storage, "cannot remove \(url.path) after compressing it: \(String(cString: strerror(errno)))")
        }
    }

    /// At start: removes half-written `.gz.tmp` files, removes originals whose `.gz` is complete, and (when
    /// compression is on) compresses closed files a crash left uncompressed.
    static func tidy(folder: URL, compress: Bool, logger: Logger) throws(RoleError) {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        for name in names where name.hasSuffix(".jsonl.gz.tmp") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
            logger.warning("removed a half-written compressed file left by a crash", metadata: ["file": "\(name)"])
        }
        for name in names where name.hasSuffix(".jsonl") {
            let url = folder.appendingPathComponent(name)
            if names.contains(name + ".gz") {
                try? FileManager.default.removeItem(at: url)
            } else if compress {
                _ = try JSONLinesFile.repairTornTail(url)
                try Self.compress(url)
            }
        }
    }
}

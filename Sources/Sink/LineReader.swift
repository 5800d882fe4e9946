import Foundation
import Gzip
import RoleSupport

/// Reads a JSON Lines file line by line in fixed-size chunks, so memory does not grow with the file
/// (10^7 lines of output are read in 4 MiB steps). `.gz` files are decompressed whole (one closed file).
enum LineReader {
    static let chunkBytes = 4 << 20

    /// Calls `body` with every line (without its newline), in order.
    static func forEachLine(in url: URL, _ body: (ArraySlice<UInt8>) -> Void) throws(RoleError) {
        if url.pathExtension == "gz" {
            let bytes: [UInt8]
            do {
                bytes = try Gzip.contents(of: url)
            } catch {
                throw RoleError(.storage, "cannot read \(url.path)", underlying: error)
            }
            split(bytes[...], body)
            return
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw RoleError(.storage, "cannot open \(url.path) for reading")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkBytes) ?? Data()
            } catch {
                throw RoleError(.storage, "cannot read \(url.path)", underlying: error)
            }
            if chunk.isEmpty { break }
            carry.append(contentsOf: chunk)
            guard let lastNewline = carry.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            split(carry[..<lastNewline], body)
            carry.removeSubrange(...lastNewline)
        }
        if !carry.isEmpty { body(carry[...]) }
    }

    private static func split(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            body(bytes[start..<end])
            start = end + 1
        }
    }
}

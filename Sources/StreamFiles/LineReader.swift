import Foundation

/// Reads a JSON Lines file line by line in fixed-size chunks, so memory does not grow with the file
/// (10^7 lines of output are read in 4 MiB steps). `.gz` files are decompressed whole (one closed file).
public enum LineReader {
    /// Bytes read per step.
    public static let chunkBytes = 4 << 20

    /// Calls `body` with every line (without its newline), in order.
    public static func forEachLine(in url: URL, _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        if url.pathExtension == "gz" {
            try split(try Gzip.contents(of: url)[...], body)
            return
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw Gzip.Failure(description: "cannot open \(url.path) for reading")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        while true {
            let chunk = try handle.read(upToCount: chunkBytes) ?? Data()
            if chunk.isEmpty { break }
            carry.append(contentsOf: chunk)
            guard let lastNewline = carry.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            try split(carry[..<lastNewline], body)
            carry.removeSubrange(...lastNewline)
        }
        if !carry.isEmpty { try body(carry[...]) }
    }

    private static func split(_ bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            try body(bytes[start..<end])
            start = end + 1
        }
    }
}

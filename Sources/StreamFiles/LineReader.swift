import Foundation

/// Reads a JSON Lines file line by line in fixed-size chunks, so memory does not grow with the file
/// (10^7 lines of output are read in 4 MiB steps). `.gz` files are decompressed whole (one closed file).
public enum LineReader {
    /// Bytes read per step.
    public static let chunkBytes = 4 << 20

    /// Calls `body` with every line (without its newline) of at most `maxLineBytes`, in order; longer
    /// lines are skipped without being held in memory whole. Returns how many lines were skipped.
    @discardableResult
    public static func forEachLine(in url: URL, maxLineBytes: Int = .max,
                                   _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Int {
        var skipped = 0
        if url.pathExtension == "gz" {
            try split(try Gzip.contents(of: url)[...], maxLineBytes: maxLineBytes, skipped: &skipped, body)
            return skipped
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw Gzip.Failure(description: "cannot open \(url.path) for reading")
        }
        defer { try? handle.close() }
        var carry: [UInt8] = []
        // Inside a line already known to be too long: bytes are dropped up to its newline.
        var skipping = false
        while true {
            let chunk = try handle.read(upToCount: chunkBytes) ?? Data()
            if chunk.isEmpty { break }
            carry.append(contentsOf: chunk)
            if skipping {
                guard let newline = carry.firstIndex(of: UInt8(ascii: "\n")) else {
                    carry.removeAll(keepingCapacity: true)
                    continue
                }
                carry.removeSubrange(...newline)
                skipping = false
            }
            if let lastNewline = carry.lastIndex(of: UInt8(ascii: "\n")) {
                try split(carry[..<lastNewline], maxLineBytes: maxLineBytes, skipped: &skipped, body)
                carry.removeSubrange(...lastNewline)
            }
            if carry.count > maxLineBytes {
                skipped += 1
                skipping = true
                carry.removeAll(keepingCapacity: true)
            }
        }
        if !carry.isEmpty { try body(carry[...]) }
        return skipped
    }

    private static func split(_ bytes: ArraySlice<UInt8>, maxLineBytes: Int, skipped: inout Int,
                              _ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            if end - start > maxLineBytes { skipped += 1 } else { try body(bytes[start..<end]) }
            start = end + 1
        }
    }
}

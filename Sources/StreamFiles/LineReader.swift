import Foundation

/// Reads a JSON Lines file line by line in fixed-size chunks, so memory does not grow with the file
/// (10^7 lines of output are read in 4 MiB steps; `.gz` files are decompressed in 1 MiB steps).
public enum LineReader {
    /// Bytes read per step.
    public static let chunkBytes = 4 << 20

    /// What a pass over a file found besides its lines.
    public struct Summary: Sendable {
        /// Lines longer than the limit, skipped.
        public var skipped = 0
        /// Whether the file ends with a newline (or is empty): a last line without one is torn.
        public var endsWithNewline = true
    }

    /// Calls `body` with every line (without its newline) of at most `maxLineBytes`, in order; longer
    /// lines are skipped without being held in memory whole. Returns how many lines were skipped.
    @discardableResult
    public static func forEachLine(in url: URL, maxLineBytes: Int = .max,
                                   _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Int {
        try lines(in: url, maxLineBytes: maxLineBytes, body).skipped
    }

    /// ``forEachLine(in:maxLineBytes:_:)``, also telling whether the file ends with a newline.
    public static func lines(in url: URL, maxLineBytes: Int = .max,
                             _ body: (ArraySlice<UInt8>) throws -> Void) throws -> Summary {
        var skipped = 0
        var lastByte: UInt8?
        var carry: [UInt8] = []
        // Inside a line already known to be too long: bytes are dropped up to its newline.
        var skipping = false
        func take(_ chunk: [UInt8]) throws {
            if let last = chunk.last { lastByte = last }
            carry.append(contentsOf: chunk)
            if skipping {
                guard let newline = carry.firstIndex(of: UInt8(ascii: "\n")) else {
                    carry.removeAll(keepingCapacity: true)
                    return
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
        if url.pathExtension == "gz" {
            try Gzip.decompress(file: url, take)
        } else {
            guard let handle = try? FileHandle(forReadingFrom: url) else {
                throw Gzip.Failure(description: "cannot open \(url.path) for reading")
            }
            defer { try? handle.close() }
            while true {
                let chunk = try handle.read(upToCount: chunkBytes) ?? Data()
                if chunk.isEmpty { break }
                try take([UInt8](chunk))
            }
        }
        if !carry.isEmpty && !skipping { try body(carry[...]) }
        return Summary(skipped: skipped, endsWithNewline: lastByte.map { $0 == UInt8(ascii: "\n") } ?? true)
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

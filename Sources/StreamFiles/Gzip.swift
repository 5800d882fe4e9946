import CompressNIO
import Foundation
import NIOCore

/// gzip for files newsflow writes and reads (closed output segments), in steps: never a whole file in memory.
public enum Gzip {
    /// Why gzip data could not be read or written.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// What went wrong.
        public let description: String
    }

    /// Bytes read or written per step by the streaming functions.
    public static let stepBytes = 1 << 20

    /// Compresses the file at `source` as one gzip member, in steps of ``stepBytes``: `write` gets the
    /// compressed bytes in order, and memory does not grow with the file.
    public static func compress(file source: URL, write: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: source.path) else {
            throw Failure(description: "cannot open \(source.path) to compress it")
        }
        defer { try? handle.close() }
        let compressor = CompressionAlgorithm.gzip().compressor
        compressor.window = ByteBufferAllocator().buffer(capacity: stepBytes)
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        let emit: (ByteBuffer) throws -> Void = { buffer in try write(Array(buffer.readableBytesView)) }
        while true {
            let chunk = try handle.read(upToCount: stepBytes) ?? Data()
            if chunk.isEmpty { break }
            var input = ByteBuffer(bytes: chunk)
            try input.compressStream(with: compressor, flush: .no, process: emit)
        }
        var end = ByteBuffer()
        try end.compressStream(with: compressor, flush: .finish, process: emit)
    }

    /// Calls `body` with the decompressed contents of the gzip file at `url`, in steps of at most
    /// ``stepBytes``, so memory does not grow with the file. A file cut short (its last four bytes are
    /// not the length of what it holds, as the gzip trailer says) or damaged throws.
    public static func decompress(file url: URL, _ body: ([UInt8]) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw Failure(description: "cannot open \(url.path) for reading")
        }
        defer { try? handle.close() }
        let decompressor = CompressionAlgorithm.gzip().decompressor
        try decompressor.startStream()
        defer { try? decompressor.finishStream() }
        var output = ByteBufferAllocator().buffer(capacity: stepBytes)
        var total: UInt64 = 0
        var tail: [UInt8] = []
        var ended = false
        func emit() throws {
            guard output.readableBytes > 0 else { return }
            total += UInt64(output.readableBytes)
            try body(Array(output.readableBytesView))
            output.clear()
        }
        while !ended {
            let chunk = try handle.read(upToCount: stepBytes) ?? Data()
            if chunk.isEmpty { break }
            tail = Array((tail + chunk).suffix(4))
            var input = ByteBuffer(bytes: chunk)
            while input.readableBytes > 0 {
                let before = (input.readableBytes, output.writerIndex)
                do {
                    try input.decompressStream(to: &output, with: decompressor)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    try emit()
                    continue
                } catch let error as CompressNIOError where error == .inputBufferOverflow {
                    // The step ends inside the stream: the next one goes on.
                } catch {
                    throw Failure(description: "\(url.path) is not valid gzip data: \(error)")
                }
                // Nothing taken and nothing given: the stream has ended (anything after it is ignored).
                if (input.readableBytes, output.writerIndex) == before {
                    ended = true
                    break
                }
            }
        }
        try emit()
        let stored = tail.count == 4 ? tail.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : nil
        guard stored == UInt32(truncatingIfNeeded: total) else {
            throw Failure(description: "\(url.path) is cut short or damaged: its gzip trailer does not match what it holds")
        }
    }
}

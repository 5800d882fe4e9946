import CompressNIO
import Foundation
import NIOCore

/// gzip for files newsflow writes and reads: closed output segments, and any `*.gz` input.
public enum Gzip {
    /// Why gzip data could not be read or written.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// What went wrong.
        public let description: String
    }

    /// `bytes` as one gzip member.
    public static func compress(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            var compressed = try buffer.compress(with: .gzip())
            return compressed.readBytes(length: compressed.readableBytes) ?? []
        } catch {
            throw Failure(description: "gzip compression failed: \(error)")
        }
    }

    /// The contents of gzip data, at most `maxBytes` of it.
    public static func decompress(_ bytes: [UInt8], maxBytes: Int = 1 << 32) throws(Failure) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            var plain = try buffer.decompress(with: .gzip(), maxSize: maxBytes)
            return plain.readBytes(length: plain.readableBytes) ?? []
        } catch {
            throw Failure(description: "not valid gzip data, or larger than \(maxBytes) bytes: \(error)")
        }
    }

    /// Whether `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// A file's contents, decompressed when its name ends in `.gz`.
    public static func contents(of url: URL) throws(Failure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Failure(description: "cannot read \(url.path)")
        }
        let bytes = [UInt8](data)
        return url.pathExtension == "gz" ? try decompress(bytes) : bytes
    }
}

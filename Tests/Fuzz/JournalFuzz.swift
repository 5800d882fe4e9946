// libFuzzer target: the journal reader on raw segment bytes, line by line, checksums and all.
import NewsModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
        if case .success(let raw) = JournalLine.decode(line) {
            // A line that passes its checksum re-encodes to a line that decodes to the same article.
            if let encoded = try? JournalLine.encode(raw), case .success(let again) = JournalLine.decode(encoded[...]) {
                precondition(again == raw, "journal line round trip differs")
            }
        }
    }
    return 0
}

// libFuzzer target: the wire-protocol decoder on multipart frames (the input split at 0xFF bytes).
import NewsModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let frames = bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map(Array.init)
    if let message = try? WireCodec.decode(frames) {
        // Whatever decodes must encode and decode to the same message.
        let again = try? WireCodec.decode(WireCodec.encode(message))
        precondition(again == message, "wire codec round trip differs")
    }
    return 0
}

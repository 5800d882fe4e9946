// libFuzzer target: raw bytes as a configuration file through the checker every role runs at start
// (size and shape checks, Yams, the schema, cross-checks). Built together with ConfigChecker.swift and
// ConfigSchema.swift from Sources/newsflow.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = ConfigChecker.check(yaml: bytes, origin: "fuzz", environment: [:], flags: [:])
    return 0
}

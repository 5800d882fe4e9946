import ArgumentParser
import Foundation
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// `newsflow bench transport`: the raw libzmq limit on this machine for messages of the pipeline's size,
/// PUSH in this process to PULL in a child process, so pipeline figures can be read as a fraction of it.
struct BenchTransport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "libzmq PUSH/PULL between two processes: messages/s and MB/s for a message size.")

    @Option(name: .long, help: "Bytes per message.") var size = 2048
    @Option(name: .long, help: "Messages to send.") var messages = 500_000
    @Option(name: .long, help: "ipc or tcp (loopback).") var transport = "ipc"
    @Flag(name: .long, help: "One JSON object on stdout instead of a table.") var json = false
    @Option(name: .long, help: .hidden) var receive: String?

    func validate() throws {
        guard ["ipc", "tcp"].contains(transport) else { throw ValidationError("--transport is ipc or tcp") }
        guard size > 0, messages > 0 else { throw ValidationError("--size and --messages must be positive") }
    }

    func run() throws {
        if let receive {
            try receiveAll(receive)
            return
        }
        let endpoint: String
        if transport == "tcp" {
            endpoint = "tcp://127.0.0.1:\(try BenchSupport.freePorts(1)[0])"
        } else {
            endpoint = "ipc://\(NSTemporaryDirectory())nf-transport-\(getpid()).sock"
        }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: BenchSupport.executable)
        child.arguments = ["bench", "transport", "--receive", endpoint, "--messages", "\(messages)", "--size", "\(size)"]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        let reader = output.fileHandleForReading
        guard readLine(reader) == "ready" else { throw BenchFailure(message: "the receiving process did not start") }

        let zmq = try Context()
        let socket = try Socket(zmq, type: .push, lingerMilliseconds: -1)
        try socket.connect(endpoint)
        let payload = [UInt8](repeating: 0x61, count: size)
        for _ in 0..<messages { _ = try socket.send([payload]) }
        guard let line = readLine(reader), let seconds = Double(line), seconds > 0 else {
            throw BenchFailure(message: "the receiving process did not report")
        }
        socket.close()
        child.waitUntilExit()
        let report = Report(
            messages: messages, size: size, transport: transport, seconds: seconds,
            articlesPerSecond: Double(messages) / seconds, mbPerSecond: Double(messages * size) / seconds / 1_000_000)
        if json {
            try BenchSupport.printJSON(report)
        } else {
            print(String(format: "transport: %d messages of %d bytes, PUSH to PULL in another process over %@\n  %.0f messages/s, %.0f MB/s (%.2f s)",
                         messages, size, transport, report.articlesPerSecond, report.mbPerSecond, seconds))
        }
    }

    /// The child: binds PULL, says `ready`, receives every message, prints the seconds from first to last.
    private func receiveAll(_ endpoint: String) throws {
        let zmq = try Context()
        let socket = try Socket(zmq, type: .pull)
        try socket.bind(endpoint)
        FileHandle.standardOutput.write(Data("ready\n".utf8))
        _ = try socket.receive()
        let started = ContinuousClock.now
        for _ in 1..<messages { _ = try socket.receive() }
        FileHandle.standardOutput.write(Data("\((ContinuousClock.now - started).seconds)\n".utf8))
        socket.close()
        if endpoint.hasPrefix("ipc://") { unlink(String(endpoint.dropFirst("ipc://".count))) }
    }

    private func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if first == 0x0A { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }

    struct Report: Encodable {
        var messages: Int
        var size: Int
        var transport: String
        var seconds: Double
        var articlesPerSecond: Double
        var mbPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case messages, size, transport, seconds
            case articlesPerSecond = "articles_per_second"
            case mbPerSecond = "mb_per_second"
        }
    }
}

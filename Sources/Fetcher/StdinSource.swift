import Foundation
import Logging
import NewsModel
import RoleSupport
import Synchronization
import ZeroMQ

/// Reads articles from standard input on a thread of its own and injects them into the fetcher over an
/// `inproc://` PUSH socket, so the fetcher loop treats them like any other injected article and
/// backpressure reaches the reader through the socket's high-water mark.
///
/// Input is either JSON Lines (first non-blank byte `{`: one raw article object per line) or one plain-text
/// article (everything up to end of file).
final class StdinSource: Sendable {
    /// The inproc endpoint the fetcher binds for this source.
    let endpoint: String
    private let sent = Atomic<Int>(0)
    private let finished = Atomic<Bool>(false)

    init(epoch: String) {
        self.endpoint = "inproc://newsflow-stdin-\(epoch)"
    }

    /// Articles sent so far.
    var sentCount: Int { sent.load(ordering: .acquiring) }
    /// Whether end of input was reached (and everything read was sent).
    var isFinished: Bool { finished.load(ordering: .acquiring) }

    /// Starts the reader thread. The socket is created on that thread and never leaves it. With CURVE on,
    /// the socket is a client with `keys`, which the fetcher's authenticator lets in.
    func start(context: Context, logger: Logger, security: TransportSecurity, keys: CurveKeyPair?) {
        let thread = Thread { [self] in
            do {
                let socket = try Socket(context, type: .push)
                try security.secureClient(socket, endpoint: endpoint, keys: keys)
                try socket.connect(endpoint)
                try read(into: socket)
                socket.close()
            } catch {
                logger.error("the stdin source stopped", metadata: ["error": "\(error)"])
            }
            finished.store(true, ordering: .releasing)
        }
        thread.name = "newsflow-stdin"
        thread.start()
    }

    /// Reads to end of input; oversized articles are sent anyway and dead-lettered by the fetcher's limit.
    private func read(into socket: Socket) throws {
        let input = FileHandle.standardInput
        var buffer: [UInt8] = []
        var decided: Bool? = nil  // true: JSON Lines
        var line = 0
        while true {
            let chunk = input.availableData
            if chunk.isEmpty { break }
            buffer.append(contentsOf: chunk)
            if decided == nil, let first = buffer.first(where: { !Self.isBlank($0) }) {
                decided = first == UInt8(ascii: "{")
            }
            guard decided == true else { continue }
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                line += 1
                let record = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                try send(record, line: line, socket: socket)
            }
        }
        if decided == true {
            if buffer.contains(where: { !Self.isBlank($0) }) {
                line += 1
                try send(buffer, line: line, socket: socket)
            }
        } else if buffer.contains(where: { !Self.isBlank($0) }) {
            try send(buffer, line: 1, socket: socket)
        }
    }

    private func send(_ body: [UInt8], line: Int, socket: Socket) throws {
        guard body.contains(where: { !Self.isBlank($0) }) else { return }
        let header = InjectHeader(source: SourceRef(kind: "stdin", uri: "stdin:\(line)"), name: nil)
        try socket.send(WireCodec.encode(.inject(header, body: body)))
        sent.add(1, ordering: .releasing)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

import NewsModel
import RoleSupport
import ZeroMQ

extension ParserWorkerLoop {
    /// Results on their way to the sink, sent together. The fetcher sends a worker several articles in
    /// one message only when several wait for it at once (a backlog, or a burst of submissions); of such
    /// a batch, up to ``limit`` results or ``wait`` go in one burst, and what is left at the batch's end,
    /// so the sink (and this worker's own I/O thread) wakes once for them instead of once each. On a
    /// machine the workers share with the fetcher and the sink, each wake-up is a switch of context that
    /// parsing pays for. The results of a message of fewer than ``backlog`` articles, which is what a
    /// pipeline below saturation mostly sends, go at once, as before.
    struct ResultBurst {
        static let limit = 16
        static let wait = Duration.milliseconds(2)
        static let backlog = 4

        let socket: Socket
        private var messages: [(seq: UInt64, frames: [[UInt8]])] = []
        private var since = ContinuousClock.now

        init(socket: Socket) {
            self.socket = socket
        }

        /// Whether to send now, with `left` articles of a message of `batch` still to parse.
        func isDue(batch: Int, left: Int) -> Bool {
            batch < Self.backlog || left == 0 || messages.count >= Self.limit
                || ContinuousClock.now - since >= Self.wait
        }

        mutating func add(_ message: WireMessage, seq: UInt64) {
            if messages.isEmpty { since = ContinuousClock.now }
            messages.append((seq, WireCodec.encode(message)))
        }

        /// Sends every result held; the seqs of those that reached the sink's socket (all of them, unless
        /// the worker is stopping while the sink takes nothing).
        mutating func send(_ loop: ParserWorkerLoop, stop: StopSignal) throws -> [UInt64] {
            var sent: [UInt64] = []
            for message in messages where try loop.deliver(message.frames, to: socket, stop: stop) {
                sent.append(message.seq)
            }
            messages.removeAll(keepingCapacity: true)
            return sent
        }
    }
}

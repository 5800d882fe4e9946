import ZeroMQ

/// How the fetcher and its workers notice a link that was cut (a cable pulled, a host gone, a firewall
/// dropping packets), where TCP itself would wait many minutes: ZMTP heartbeats on the dispatch
/// connection, one PING per role heartbeat, and the connection closed after two heartbeats without
/// traffic (never under a second, so a loaded host is not taken for a cut one). The fetcher's next
/// heartbeat to that worker then fails, and it redelivers what the worker held.
///
/// libzmq's I/O thread answers the PINGs, so a worker busy parsing a long article is not taken for a
/// cut one: that case is `fetcher.worker_timeout_ms`, on the roles' own heartbeats.
public enum LinkHeartbeat {
    /// How long a silent link lasts, for a role heartbeat of `heartbeatMilliseconds`.
    public static func timeoutMilliseconds(heartbeat heartbeatMilliseconds: Int) -> Int {
        max(2 * heartbeatMilliseconds, 1000)
    }

    /// Turns ZMTP heartbeats on for `socket` (before it binds or connects).
    public static func apply(to socket: Socket, heartbeatMilliseconds: Int) throws {
        try socket.setHeartbeat(intervalMilliseconds: Int32(clamping: heartbeatMilliseconds),
                                timeoutMilliseconds: Int32(clamping: timeoutMilliseconds(heartbeat: heartbeatMilliseconds)))
    }
}

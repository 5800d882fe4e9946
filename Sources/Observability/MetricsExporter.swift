import Foundation
import ServiceLifecycle

/// Writes this process's metrics to a file every second, for the supervisor on the same host to merge
/// into its `/metrics`; removes the file when the process stops.
public struct MetricsExporter: Service {
    private let url: URL

    /// An exporter writing to `url`.
    public init(url: URL) {
        self.url = url
    }

    /// Runs until shutdown.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            MetricsRegistry.export(to: url)
            // A stop ends the wait at once: the role's exit should not wait for the next export.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
        }
        try? FileManager.default.removeItem(at: url)
    }
}

/// Serves this process's own `/metrics`, `/healthz` and `/readyz` (a role run alone, without a supervisor).
public struct MetricsServer: Service {
    private let host: String
    private let port: Int
    private let notReadyReason: @Sendable () -> String?

    /// A server on `host:port`; `/readyz` answers 200 while `notReadyReason` gives nothing, else 503 with
    /// the reason.
    public init(host: String, port: Int, notReadyReason: @escaping @Sendable () -> String? = { nil }) {
        self.host = host
        self.port = port
        self.notReadyReason = notReadyReason
    }

    /// Serves until shutdown. A port that cannot be bound is reported and the role runs on without it.
    public func run() async throws {
        let endpoint: HTTPEndpoint
        do {
            let notReadyReason = self.notReadyReason
            endpoint = try await HTTPEndpoint.start(host: host, port: port) { path in
                switch path {
                case "/metrics": .init(status: 200, contentType: "text/plain; version=0.0.4", body: Array(MetricsRegistry.text().utf8))
                case "/healthz": .text("ok\n")
                case "/readyz": notReadyReason().map { .text("not ready: \($0)\n", status: 503) } ?? .text("ready\n")
                default: .text("not found: try /metrics, /healthz or /readyz\n", status: 404)
                }
            }
        } catch {
            FileHandle.standardError.write(Data("newsflow: cannot serve metrics on \(host):\(port): \(error); running without\n".utf8))
            try? await gracefulShutdown()
            return
        }
        try? await gracefulShutdown()
        await endpoint.close()
    }
}

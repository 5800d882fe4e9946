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
            try? await Task.sleep(for: .seconds(1))
        }
        try? FileManager.default.removeItem(at: url)
    }
}

/// Serves this process's own `/metrics` and `/healthz` (a role run alone, without a supervisor).
public struct MetricsServer: Service {
    private let host: String
    private let port: Int

    /// A server on `host:port`.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Serves until shutdown. A port that cannot be bound is reported and the role runs on without it.
    public func run() async throws {
        let endpoint: HTTPEndpoint
        do {
            endpoint = try await HTTPEndpoint.start(host: host, port: port) { path in
            switch path {
            case "/metrics": .init(status: 200, contentType: "text/plain; version=0.0.4", body: Array(MetricsRegistry.text().utf8))
            case "/healthz": .text("ok\n")
            default: .text("not found\n", status: 404)
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

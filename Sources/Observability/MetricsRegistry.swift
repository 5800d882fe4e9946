import Foundation
import Metrics
import Prometheus

/// The process's metrics: swift-metrics bootstrapped once with the Prometheus backend.
public enum MetricsRegistry {
    /// The registry every counter of this process lands in.
    public static let shared = PrometheusCollectorRegistry()

    /// Bootstraps swift-metrics (call once, from the CLI).
    public static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: shared))
    }

    /// The Prometheus text exposition of everything so far.
    public static func text() -> String { shared.emitToString() }

    /// Writes the exposition to `url` atomically (temporary file, then rename), for a supervisor to merge.
    public static func export(to url: URL) {
        let temporary = url.appendingPathExtension("tmp")
        guard (try? Data(text().utf8).write(to: temporary)) != nil else { return }
        _ = rename(temporary.path, url.path)
    }
}

/// Merges Prometheus text expositions of several processes into one: each metric family once, with its
/// `# HELP` and `# TYPE`, and every sample of every process under it (samples carry `role` and `instance`).
public enum PrometheusMerge {
    /// Help texts for newsflow's metric families (swift-metrics has no place for them).
    public static let help: [String: String] = [
        "newsflow_articles_total": "Articles through each stage of each role, by event.",
        "newsflow_bytes_received_total": "Raw article bytes taken in.",
        "newsflow_messages_rejected_total": "Messages refused for breaking the wire protocol, by reason.",
        "newsflow_restarts_total": "Child processes restarted by the supervisor.",
        "newsflow_in_flight": "Articles taken but not yet acknowledged (the fetcher's window in use).",
        "newsflow_queue_depth": "Articles waiting for a worker's credit.",
        "newsflow_journal_bytes": "Bytes in the fetcher's journal.",
        "newsflow_lag_seconds": "Age of the oldest unacknowledged article.",
        "newsflow_workers_connected": "Parser workers known to the fetcher.",
        "newsflow_parse_seconds": "Parse and enrich time per article.",
        "newsflow_sink_sync_seconds": "Time to write and sync one batch in the sink.",
        "newsflow_ready": "1 while the role is ready for work (its sockets are up), 0 while it starts or stops.",
        "newsflow_disk_free_bytes": "Bytes free to newsflow on the file system of a data folder.",
        "newsflow_disk_size_bytes": "Size of the file system of a data folder.",
        "newsflow_pipeline_ready": "1 when the supervisor's /readyz answers 200, else 0.",
        "newsflow_child_up": "1 while the supervisor's child runs, else 0.",
    ]

    /// The merged exposition.
    public static func merge(_ expositions: [String]) -> String {
        var order: [String] = []
        var headers: [String: [String]] = [:]
        var samples: [String: [String]] = [:]
        for exposition in expositions {
            var family = ""
            for line in exposition.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                    let name = String(line.split(separator: " ", maxSplits: 3).dropFirst(2).first ?? "")
                    family = name
                    if headers[name] == nil { order.append(name) }
                    if !(headers[name] ?? []).contains(where: { $0.hasPrefix(line.prefix(7)) }) {
                        headers[name, default: []].append(String(line))
                    }
                } else if !line.hasPrefix("#") {
                    let name = String(line.prefix { $0 != "{" && $0 != " " })
                    let owner = name.hasPrefix(family) && !family.isEmpty ? family : name
                    if headers[owner] == nil && samples[owner] == nil { order.append(owner) }
                    samples[owner, default: []].append(String(line))
                }
            }
        }
        var output = ""
        for name in order {
            let lines = headers[name] ?? []
            if !lines.contains(where: { $0.hasPrefix("# HELP ") }), let text = help[name] {
                output += "# HELP \(name) \(text)\n"
            }
            for header in lines { output += header + "\n" }
            for sample in samples[name] ?? [] { output += sample + "\n" }
        }
        return output
    }
}

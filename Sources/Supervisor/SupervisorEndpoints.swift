import Foundation
import Observability
import RoleSupport
import Synchronization

/// What the supervisor serves over HTTP: `/metrics` (its own and every child's, merged), `/healthz`,
/// `/readyz` (200 only when the sink, at least one worker and the fetcher run, workers are connected and the
/// journal is writable) and `/status` (JSON for `newsflow status`).
struct SupervisorEndpoints: Sendable {
    let table: ChildTable
    var children: [ChildSpec] { table.currentSpecs }
    let layout: DataLayout
    let rates: RateSampler

    func respond(_ path: String) -> HTTPEndpoint.Response {
        switch path {
        case "/metrics":
            return HTTPEndpoint.Response(status: 200, contentType: "text/plain; version=0.0.4", body: Array(metrics().utf8))
        case "/healthz":
            return .text("ok\n")
        case "/readyz":
            let reasons = notReady()
            return reasons.isEmpty ? .text("ready\n") : .text("not ready: " + reasons.joined(separator: "; ") + "\n", status: 503)
        case "/status":
            let data = (try? JSONSerialization.data(withJSONObject: status(), options: [.sortedKeys, .prettyPrinted])) ?? Data()
            return HTTPEndpoint.Response(status: 200, contentType: "application/json", body: Array(data))
        default:
            return .text("not found: try /metrics, /healthz, /readyz or /status\n", status: 404)
        }
    }

    func childExpositions() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.run.path)) ?? []
        return names.filter { $0.hasPrefix("metrics-") && $0.hasSuffix(".prom") }.sorted().compactMap {
            try? String(contentsOf: layout.run.appendingPathComponent($0), encoding: .utf8)
        }
    }

    func metrics() -> String {
        PrometheusMerge.merge([MetricsRegistry.text(), supervision()] + childExpositions())
    }

    /// What the supervisor knows better than its children's own files (a child killed with SIGKILL leaves
    /// its last export behind): which children run, and whether the pipeline is ready.
    func supervision() -> String {
        var text = "# TYPE newsflow_pipeline_ready gauge\nnewsflow_pipeline_ready \(notReady().isEmpty ? 1 : 0)\n"
        text += "# TYPE newsflow_child_up gauge\n"
        for child in children {
            text += "newsflow_child_up{role=\"\(child.role)\",instance=\"\(child.instance)\"} \(table.pid(of: child.instance) == nil ? 0 : 1)\n"
        }
        return text
    }

    func notReady() -> [String] {
        var reasons: [String] = []
        if table.pid(of: "sink") == nil {
            reasons.append("the sink is not running")
        } else if let sink = StatusFile.read(instance: "sink", layout: layout), sink["writable"] as? Bool == false {
            reasons.append("the sink cannot write out/ (\(sink["reason"] as? String ?? "unknown"))")
        }
        if !children.contains(where: { $0.role == "parser" && table.pid(of: $0.instance) != nil }) {
            reasons.append("no parser worker is running")
        }
        if table.pid(of: "fetcher") == nil { reasons.append("the fetcher is not running") }
        if let fetcher = StatusFile.read(instance: "fetcher", layout: layout) {
            if (fetcher["workers"] as? Int ?? 0) == 0 { reasons.append("no worker is connected to the fetcher") }
            if fetcher["journal_writable"] as? Bool != true {
                let reason = fetcher["journal_reason"] as? String ?? ""
                reasons.append("the journal is not writable" + (reason.isEmpty ? "" : " (\(reason))"))
            }
        } else {
            reasons.append("the fetcher has not reported its status")
        }
        return reasons
    }

    func status() -> [String: Any] {
        let now = Date()
        let rows: [[String: Any]] = children.map { child in
            let pid = table.pid(of: child.instance)
            let life = table.life(of: child.instance)
            let rate = rates.rates(for: child.instance)
            var row: [String: Any] = [
                "instance": child.instance, "role": child.role, "state": pid == nil ? "down" : "running",
                "restarts": life?.restarts ?? 0, "in_per_s": rate.inPerSecond, "out_per_s": rate.outPerSecond,
            ]
            if let pid { row["pid"] = Int(pid) }
            if let started = life?.started, pid != nil { row["uptime_s"] = Int(now.timeIntervalSince(started)) }
            return row
        }
        var status: [String: Any] = ["children": rows, "ready": notReady().isEmpty, "not_ready": notReady()]
        if let fetcher = StatusFile.read(instance: "fetcher", layout: layout) {
            status["in_flight"] = fetcher["outstanding"] ?? 0
            status["lag_s"] = fetcher["oldest_unacknowledged_s"] ?? 0
            status["journal_bytes"] = fetcher["journal_bytes"] ?? 0
            status["workers_connected"] = fetcher["workers"] ?? 0
        }
        return status
    }
}

/// Per-minute rates of articles in (`received`) and out (`sent`) for each child, from the metrics files the
/// children write, sampled every few seconds.
final class RateSampler: Sendable {
    private let samples = Mutex<[String: [(time: Date, received: Double, sent: Double)]]>([:])

    func sample(_ expositions: [String]) {
        var totals: [String: (received: Double, sent: Double)] = [:]
        for exposition in expositions {
            for line in exposition.split(separator: "\n") where line.hasPrefix("newsflow_articles_total{") {
                guard let instance = Self.label("instance", in: line), let event = Self.label("event", in: line),
                      let value = Double(line.split(separator: " ").last ?? "")
                else { continue }
                var total = totals[instance] ?? (0, 0)
                if event == "received" && line.contains("stage=\"receiving\"") { total.received += value }
                if event == "sent" && line.contains("stage=\"sending\"") { total.sent += value }
                totals[instance] = total
            }
        }
        let now = Date()
        samples.withLock { table in
            for (instance, total) in totals {
                var list = table[instance] ?? []
                list.append((now, total.received, total.sent))
                list.removeAll { now.timeIntervalSince($0.time) > 65 }
                table[instance] = list
            }
        }
    }

    func rates(for instance: String) -> (inPerSecond: Double, outPerSecond: Double) {
        samples.withLock { table in
            guard let list = table[instance], let first = list.first, let last = list.last,
                  last.time.timeIntervalSince(first.time) > 0.5
            else { return (0, 0) }
            let span = last.time.timeIntervalSince(first.time)
            return ((last.received - first.received) / span, (last.sent - first.sent) / span)
        }
    }

    private static func label(_ name: String, in line: Substring) -> String? {
        guard let range = line.range(of: "\(name)=\"") else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}

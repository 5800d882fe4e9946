import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `newsflow status`: asks the running supervisor and prints a table (or `--json`).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the running pipeline: roles, pids, uptime, restarts, rates, in-flight, lag.")

    @OptionGroup var options: CommonOptions

    @Flag(name: .long, help: "Print the supervisor's JSON instead of a table.")
    var json = false

    func run() async throws {
        let loaded = try await LoadedConfiguration.load(options, check: false)
        let portFile = loaded.layout.run.appendingPathComponent("supervisor.port")
        guard let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ValidationError("no running supervisor for \(loaded.layout.root.path) (no \(portFile.path)): start it with `newsflow run`")
        }
        let host = loaded.reader.string(forKey: "metrics.host", default: "127.0.0.1")
        guard let url = URL(string: "http://\(host):\(port)/status") else { throw ValidationError("bad metrics.host \(host)") }
        let data: Data
        do {
            (data, _) = try await URLSession.shared.data(from: url)
        } catch {
            throw ValidationError("the supervisor at \(url) does not answer: \(error.localizedDescription)")
        }
        if json {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
            return
        }
        guard let status = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ValidationError("the supervisor answered something that is not a status")
        }
        print(Self.table(status))
    }

    /// The table, in at most 80 columns.
    static func table(_ status: [String: Any]) -> String {
        let widths = [8, 10, 8, 8, 8, 9, 9, 9]
        func row(_ cells: [String]) -> String {
            zip(cells, widths).enumerated().map { index, pair in
                let (cell, width) = pair
                let padding = String(repeating: " ", count: max(0, width - cell.count))
                return index < 2 || index == 3 ? cell + padding : padding + cell
            }.joined(separator: " ")
        }
        var lines = [row(["ROLE", "INSTANCE", "PID", "STATE", "UPTIME", "RESTARTS", "IN/S", "OUT/S"])]
        for child in status["children"] as? [[String: Any]] ?? [] {
            lines.append(row([
                child["role"] as? String ?? "?", child["instance"] as? String ?? "?",
                (child["pid"] as? Int).map(String.init) ?? "-", child["state"] as? String ?? "?",
                (child["uptime_s"] as? Int).map(Self.duration) ?? "-", String(child["restarts"] as? Int ?? 0),
                String(format: "%.1f", child["in_per_s"] as? Double ?? 0), String(format: "%.1f", child["out_per_s"] as? Double ?? 0),
            ]))
        }
        let ready = status["ready"] as? Bool == true
            ? "ready" : "NOT READY: " + ((status["not_ready"] as? [String]) ?? []).joined(separator: "; ")
        lines.append("in flight \(status["in_flight"] as? Int ?? 0)   lag "
            + String(format: "%.1fs", status["lag_s"] as? Double ?? 0) + "   journal "
            + String(format: "%.1f MB", Double(status["journal_bytes"] as? Int ?? 0) / 1e6)
            + "   workers \(status["workers_connected"] as? Int ?? 0)   \(ready)")
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds / 3600)h\(seconds % 3600 / 60)m"
    }
}

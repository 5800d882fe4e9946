import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `newsflow scale parsers=N`: changes the number of parser workers of the running supervisor without
/// losing work (retired workers finish what they hold; their unacknowledged articles are redelivered).
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale", abstract: "Change the number of parser workers of the running pipeline: scale parsers=N.",
        discussion: "Lasts until the next reload (SIGHUP) or restart; set `parsers` in the config file to keep it.")

    @Argument(help: "parsers=N (1-256).")
    var setting: String

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let parts = setting.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0] == "parsers", let count = Int(parts[1]), (1...256).contains(count) else {
            throw ValidationError("expected parsers=N with N from 1 to 256, got \(setting.debugDescription)")
        }
        let loaded = try await LoadedConfiguration.load(options, check: false)
        let run = loaded.layout.run
        guard let text = try? String(contentsOf: run.appendingPathComponent("supervisor.pid"), encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0, kill(pid, 0) == 0
        else {
            throw ValidationError("no running supervisor for \(loaded.layout.root.path): start it with `newsflow run`")
        }
        let request = run.appendingPathComponent("scale.parsers")
        let temporary = run.appendingPathComponent(".scale.parsers.tmp")
        try Data("\(count)\n".utf8).write(to: temporary)
        guard rename(temporary.path, request.path) == 0, kill(pid, SIGHUP) == 0 else {
            throw ValidationError("cannot ask the supervisor (pid \(pid)) to scale: \(String(cString: strerror(errno)))")
        }
        // The supervisor takes the request on its reload; wait for it to do so.
        for _ in 0..<100 {
            if !FileManager.default.fileExists(atPath: request.path) {
                print("scaling parser workers to \(count) (supervisor pid \(pid))")
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the supervisor (pid \(pid)) did not take the request within 10 s; see its log")
    }
}

import Foundation
import Yams

#if canImport(Glibc)
import Glibc
#endif

/// Validates a configuration as a whole before anything starts: unknown keys (with a suggestion), wrong
/// types, values out of range, malformed or clashing endpoints, ipc paths too long for a socket, settings
/// that contradict each other, a data folder that cannot be written. Every problem names its key and
/// where the value came from; all of them are reported at once.
struct ConfigChecker {
    struct Problem: CustomStringConvertible, Equatable {
        var key: String
        var message: String
        var origin: String
        var description: String { "\(key): \(message) (\(origin))" }
    }

    /// Where a value came from.
    enum Origin: String {
        case flag, environment, file, `default`
    }

    struct Value {
        var raw: Any
        var origin: Origin
        var text: String { raw as? String ?? "\(raw)" }
    }

    let fileValues: [String: Any]
    let environment: [String: String]
    let flags: [String: String]
    var problems: [Problem] = []

    /// Reads the YAML file (if any) and checks everything.
    static func check(file: String?, environment: [String: String], flags: [String: String]) -> (ConfigChecker, [Problem]) {
        var fileValues: [String: Any] = [:]
        var early: [Problem] = []
        if let file {
            do {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                if let loaded = try Yams.load(yaml: text) {
                    if let dictionary = loaded as? [String: Any] {
                        flatten(dictionary, prefix: "", into: &fileValues)
                    } else {
                        early.append(Problem(key: "(file)", message: "the file must hold a mapping of keys", origin: file))
                    }
                }
            } catch {
                early.append(Problem(key: "(file)", message: "not valid YAML: \(error)", origin: file))
            }
        }
        var checker = ConfigChecker(fileValues: fileValues, environment: environment, flags: flags)
        checker.problems = early
        checker.run()
        return (checker, checker.problems)
    }

    private static func flatten(_ dictionary: [String: Any], prefix: String, into result: inout [String: Any]) {
        for (key, value) in dictionary {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if let nested = value as? [String: Any] {
                flatten(nested, prefix: path, into: &result)
            } else {
                result[path] = value
            }
        }
    }

    /// The effective value of a key and its origin.
    func value(_ key: ConfigSchema.Key) -> Value {
        if let flag = flags[key.name] { return Value(raw: flag, origin: .flag) }
        if let env = environment[ConfigSchema.variable(for: key.name)] { return Value(raw: env, origin: .environment) }
        if let file = fileValues[key.name], !(file is NSNull) { return Value(raw: file, origin: .file) }
        return Value(raw: key.defaultValue, origin: .default)
    }

    private mutating func run() {
        let known = Set(ConfigSchema.keys.map(\.name))
        for key in fileValues.keys.sorted() where !known.contains(key) {
            problems.append(Problem(key: key, message: "unknown key\(suggestion(for: key))", origin: "file"))
        }
        let variables = Set(ConfigSchema.keys.map { ConfigSchema.variable(for: $0.name) })
        for name in environment.keys.sorted() where name.hasPrefix("NEWSFLOW_") {
            guard !variables.contains(name), !ConfigSchema.otherVariables.contains(name) else { continue }
            let key = name.dropFirst("NEWSFLOW_".count).lowercased()
            problems.append(Problem(key: name, message: "unknown environment variable\(suggestion(for: String(key), environment: true))",
                                    origin: "environment"))
        }
        var ints: [String: Int] = [:]
        for key in ConfigSchema.keys {
            let value = value(key)
            if let number = validate(key, value) { ints[key.name] = number }
        }
        crossCheck(ints)
    }

    /// Checks one value against its kind; returns it when it is an integer.
    private mutating func validate(_ key: ConfigSchema.Key, _ value: Value) -> Int? {
        let origin = value.origin.rawValue
        func problem(_ message: String) { problems.append(Problem(key: key.name, message: message, origin: origin)) }
        switch key.kind {
        case .int(let min, let max):
            let number = value.raw as? Int ?? Int(value.text.trimmingCharacters(in: .whitespaces))
            guard let number, !(value.raw is Bool) else {
                problem("expected a whole number, got \(value.text.debugDescription)")
                return nil
            }
            if number < min || number > max { problem("\(number) is out of range \(min)...\(max)") }
            return number
        case .double(let min, let max):
            guard let number = value.raw as? Double ?? (value.raw as? Int).map(Double.init) ?? Double(value.text) else {
                problem("expected a number, got \(value.text.debugDescription)")
                return nil
            }
            if number < min || number > max { problem("\(number) is out of range \(min)...\(max)") }
        case .bool:
            if !(value.raw is Bool), !["true", "false"].contains(value.text.lowercased()) {
                problem("expected true or false, got \(value.text.debugDescription)")
            }
        case .choice(let choices):
            if !choices.contains(value.text) {
                problem("\(value.text.debugDescription) is not one of \(choices.joined(separator: ", "))")
            }
        case .endpoint:
            if let message = Self.endpointProblem(value.text) { problem(message) }
        case .string, .stringList, .path:
            if value.raw is [String: Any] { problem("expected a value, got a mapping") }
        }
        return nil
    }

    static func endpointProblem(_ endpoint: String) -> String? {
        if endpoint.isEmpty { return nil }
        if endpoint.hasPrefix("tcp://") {
            let rest = endpoint.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), !rest[..<colon].isEmpty else {
                return "\(endpoint.debugDescription) needs a host and a port: tcp://host:port"
            }
            let port = rest[rest.index(after: colon)...]
            guard port == "*" || (Int(port).map { (1...65535).contains($0) } ?? false) else {
                return "\(endpoint.debugDescription) has no valid port (1-65535)"
            }
            return nil
        }
        if endpoint.hasPrefix("ipc://") {
            let path = endpoint.dropFirst("ipc://".count)
            if path.isEmpty { return "\(endpoint.debugDescription) has no path" }
            if path.utf8.count > 107 { return "ipc path is \(path.utf8.count) bytes; sockets allow 107: use a shorter path" }
            return nil
        }
        if endpoint.hasPrefix("inproc://") { return nil }
        return "\(endpoint.debugDescription) is not an endpoint: use tcp://host:port, ipc://path or inproc://name"
    }

    private mutating func crossCheck(_ ints: [String: Int]) {
        func add(_ key: String, _ message: String) {
            let origin = ConfigSchema.key(named: key).map { value($0).origin.rawValue } ?? "combined"
            problems.append(Problem(key: key, message: message, origin: origin))
        }
        if let article = ints["limits.max_article_bytes"], let message = ints["limits.max_message_bytes"], article > message {
            add("limits.max_article_bytes", "\(article) is larger than limits.max_message_bytes (\(message)): such articles could never be sent")
        }
        if let timeout = ints["fetcher.worker_timeout_ms"], let beat = ints["parser.heartbeat_ms"], beat * 2 > timeout {
            add("fetcher.worker_timeout_ms", "\(timeout) ms is less than two worker heartbeats (parser.heartbeat_ms \(beat)): healthy workers would be dropped")
        }
        if let ack = ints["fetcher.ack_timeout_ms"], let fsync = ints["sink.fsync_ms"], ack <= fsync * 2 {
            add("fetcher.ack_timeout_ms", "\(ack) ms leaves no room for the sink's batching (sink.fsync_ms \(fsync)): articles would be redelivered needlessly")
        }
        if let budget = ints["limits.parse_budget_ms"], let timeout = ints["fetcher.worker_timeout_ms"], budget >= timeout {
            add("limits.parse_budget_ms", "\(budget) ms is not below fetcher.worker_timeout_ms (\(timeout)): a worker busy with one article would be taken for dead")
        }
        if let line = ints["limits.max_line_bytes"], let article = ints["limits.max_article_bytes"], line < article {
            add("limits.max_line_bytes", "\(line) is below limits.max_article_bytes (\(article)): articles that are taken could never be journaled")
        }
        if let backoff = ints["supervisor.restart_backoff_ms"], let maximum = ints["supervisor.restart_backoff_max_ms"], maximum < backoff {
            add("supervisor.restart_backoff_max_ms", "\(maximum) is below supervisor.restart_backoff_ms (\(backoff))")
        }
        // Endpoints: distinct, and the default ipc paths must fit too.
        let dataDir = URL(fileURLWithPath: value(ConfigSchema.key(named: "data_dir") ?? ConfigSchema.keys[0]).text).standardizedFileURL.path
        var seen: [String: String] = [:]
        for name in ["ingest", "submit", "dispatch", "results", "acks"] {
            let key = "endpoints." + name
            guard let schemaKey = ConfigSchema.key(named: key) else { continue }
            var endpoint = value(schemaKey).text
            if endpoint.isEmpty {
                endpoint = "ipc://\(dataDir)/run/\(name).sock"
                if let message = Self.endpointProblem(endpoint) { add(key, "default \(message); set data_dir shorter or the endpoint") }
            }
            if let other = seen[endpoint] { add(key, "same endpoint as \(other): each endpoint can be bound once") }
            seen[endpoint] = key
        }
        // The data folder must be writable (or creatable).
        var probe = URL(fileURLWithPath: dataDir)
        while !FileManager.default.fileExists(atPath: probe.path), probe.path != "/" { probe.deleteLastPathComponent() }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: probe.path, isDirectory: &isFolder), !isFolder.boolValue {
            add("data_dir", "\(dataDir) cannot be written: \(probe.path) is a file, not a folder")
        } else if access(probe.path, W_OK) != 0 {
            add("data_dir", "\(dataDir) cannot be written (checked \(probe.path)): choose a folder you can write to")
        }
    }

    private func suggestion(for key: String, environment: Bool = false) -> String {
        let candidates = ConfigSchema.keys.map { environment ? $0.name.replacingOccurrences(of: ".", with: "_") : $0.name }
        guard let best = candidates.min(by: { Self.distance(key, $0) < Self.distance(key, $1) }),
              Self.distance(key, best) <= 3
        else { return "" }
        if environment { return "; did you mean \(("NEWSFLOW_" + best).uppercased())?" }
        return "; did you mean \(best)?"
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

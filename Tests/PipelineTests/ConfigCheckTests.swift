import Foundation
import Testing

/// One kind of configuration mistake: the file, the environment, the key that must be named and a
/// fragment of the message.
struct ConfigMistake: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var environment: [String: String] = [:]
    var key: String
    var message: String
    var testDescription: String { name }
}

@Suite("config check", .tags(.endToEnd))
struct ConfigCheckTests {
    static let longFolder = "/tmp/" + String(repeating: "very-long-folder-name-", count: 5)

    static let mistakes: [ConfigMistake] = [
        ConfigMistake(name: "misspelt key", yaml: "fetchr:\n  window: 5\n", key: "fetchr.window", message: "did you mean fetcher.window"),
        ConfigMistake(name: "feeds file that is missing", yaml: "fetcher:\n  feeds:\n    file: /nonexistent/feeds.yaml\n",
                      key: "fetcher.feeds.file", message: "cannot read the feeds file"),
        ConfigMistake(name: "feed that is not http", yaml: "fetcher:\n  feeds:\n    file: \(PipelineHarness.packageRoot.path)/Tests/Fixtures/feeds-bad.yaml\n",
                      key: "fetcher.feeds.file", message: "feed 2: url must be an http:// or https:// address"),
        ConfigMistake(name: "unknown environment variable", yaml: "", environment: ["NEWSFLOW_PARSRS": "3"],
                      key: "NEWSFLOW_PARSRS", message: "did you mean NEWSFLOW_PARSERS"),
        ConfigMistake(name: "text where a number belongs", yaml: "parsers: two\n", key: "parsers", message: "expected a whole number"),
        ConfigMistake(name: "not a boolean", yaml: "fetcher:\n  inbox:\n    enabled: maybe\n", key: "fetcher.inbox.enabled",
                      message: "expected true or false"),
        ConfigMistake(name: "out of range", yaml: "parsers: 0\n", key: "parsers", message: "out of range 1...256"),
        ConfigMistake(name: "not one of the choices", yaml: "journal:\n  fsync: sometimes\n", key: "journal.fsync",
                      message: "is not one of always, interval, never"),
        ConfigMistake(name: "tcp endpoint without a port", yaml: "endpoints:\n  dispatch: tcp://localhost\n",
                      key: "endpoints.dispatch", message: "needs a host and a port"),
        ConfigMistake(name: "unknown transport", yaml: "endpoints:\n  results: udp://x:1\n", key: "endpoints.results",
                      message: "is not an endpoint"),
        ConfigMistake(name: "ipc path too long for a socket", yaml: "data_dir: \(longFolder)\n", key: "endpoints.ingest",
                      message: "sockets allow 107"),
        ConfigMistake(name: "two endpoints the same", yaml: "endpoints:\n  results: tcp://127.0.0.1:7000\n  acks: tcp://127.0.0.1:7000\n",
                      key: "endpoints.acks", message: "same endpoint as endpoints.results"),
        ConfigMistake(name: "article limit above message limit", yaml: "limits:\n  max_article_bytes: 99999999\n",
                      key: "limits.max_article_bytes", message: "larger than limits.max_message_bytes"),
        ConfigMistake(name: "worker timeout shorter than two heartbeats", yaml: "fetcher:\n  worker_timeout_ms: 1500\nparser:\n  heartbeat_ms: 1000\n",
                      key: "fetcher.worker_timeout_ms", message: "less than two worker heartbeats"),
        ConfigMistake(name: "data folder not writable", yaml: "data_dir: /etc/hostname/newsflow-data\n", key: "data_dir",
                      message: "cannot be written"),
        ConfigMistake(name: "bad value from the environment", yaml: "", environment: ["NEWSFLOW_SINK_FSYNC_MS": "abc"],
                      key: "sink.fsync_ms", message: "expected a whole number, got \"abc\" (environment)"),
        ConfigMistake(name: "not YAML at all", yaml: "parsers: [1, 2\n", key: "(file)", message: "not valid YAML"),
        // Found by the config fuzz target: Yams's loader trapped on a key that is not a plain scalar.
        ConfigMistake(name: "a mapping as a key", yaml: "parsers:\n  max_rs: 4\nlimits:\n?  max_article_bytes: 1a0\n",
                      key: "(file)", message: "mapping keys must be plain names"),
        ConfigMistake(name: "aliases", yaml: "a: &x 1\nparsers: *x\n", key: "(file)", message: "anchors and aliases"),
        ConfigMistake(name: "nested too deep", yaml: "a: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n",
                      key: "(file)", message: "nested deeper than 32 levels"),
        ConfigMistake(name: "entity model that is missing", yaml: "parser:\n  ner_model: /nonexistent/model.nfner\n",
                      key: "parser.ner_model", message: "entity model /nonexistent/model.nfner does not exist"),
        ConfigMistake(name: "entity model that is another kind of file",
                      yaml: "parser:\n  ner_model: \(PipelineHarness.packageRoot.path)/config/newsflow.yaml\n",
                      key: "parser.ner_model", message: "not a newsflow entity model"),
    ]

    static func run(_ arguments: [String], yaml: String, environment: [String: String]) throws -> (Int32, String) {
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-config-\(UUID().uuidString).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        process.arguments = arguments.map { $0 == "FILE" ? file.path : $0 }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NEWSFLOW_") || $0.key == "NEWSFLOW_BIN" }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("each kind of mistake is reported with its key, and check exits 1", arguments: mistakes)
    func mistake(_ mistake: ConfigMistake) throws {
        let (status, output) = try Self.run(["config", "check", "FILE"], yaml: mistake.yaml, environment: mistake.environment)
        #expect(status == 1, "\(output)")
        let line = output.split(separator: "\n").first { $0.hasPrefix("problem: \(mistake.key):") }
        #expect(line?.contains(mistake.message) == true, "expected \(mistake.key): …\(mistake.message)… in:\n\(output)")
    }

    @Test("all problems are reported at once; the shipped config is clean")
    func allAtOnce() throws {
        let yaml = """
            parsers: 0
            fetchr:
              window: 5
            journal:
              fsync: sometimes
            endpoints:
              dispatch: tcp://localhost
            limits:
              max_article_bytes: 99999999

            """
        let (status, output) = try Self.run(["config", "check", "FILE"], yaml: yaml, environment: [:])
        #expect(status == 1)
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("problem:") }.count >= 5, "\(output)")
        let shipped = PipelineHarness.packageRoot.appendingPathComponent("config/newsflow.yaml").path
        let (clean, said) = try Self.run(["config", "check", shipped], yaml: "", environment: [:])
        #expect(clean == 0, "\(said)")
    }

    @Test("a role refuses to start on an invalid configuration, with the same messages")
    func refuseToStart() throws {
        let (status, output) = try Self.run(["sink", "--config", "FILE", "--data-dir", "/tmp/nf-never"],
                                            yaml: "journal:\n  fsync: sometimes\n", environment: [:])
        #expect(status != 0)
        #expect(output.contains("journal.fsync: \"sometimes\" is not one of always, interval, never"), "\(output)")
        #expect(output.contains("nothing was started"))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/nf-never/out"))
    }

    @Test("a cut-short entity model is refused by config check and by a worker at start, before any article")
    func truncatedModel() throws {
        let shipped = PipelineHarness.packageRoot.appendingPathComponent("Sources/ArticleParsing/Resources/en-conll2003.nfner")
        let bytes = try Data(contentsOf: shipped)
        let cut = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-cut-\(UUID().uuidString).nfner")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        let yaml = "parser:\n  ner_model: \(cut.path)\n"
        let (status, output) = try Self.run(["config", "check", "FILE"], yaml: yaml, environment: [:])
        #expect(status == 1)
        #expect(output.contains("parser.ner_model: entity model \(cut.path): entity model file is truncated or damaged"), "\(output)")
        let data = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-cut-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let (workerStatus, said) = try Self.run(["parser", "--config", "FILE", "--data-dir", data.path], yaml: yaml, environment: [:])
        #expect(workerStatus != 0)
        #expect(said.contains("truncated or damaged") && said.contains("nothing was started"), "\(said)")
    }

    @Test("config show prints every key with its value and where it came from")
    func show() throws {
        let (status, output) = try Self.run(["config", "show", "FILE"], yaml: "parsers: 4\n",
                                            environment: ["NEWSFLOW_SINK_FSYNC_MS": "20"])
        #expect(status == 0)
        #expect(output.contains("parsers") && output.contains("4  (file)"))
        #expect(output.range(of: #"sink\.fsync_ms\s+20  \(environment\)"#, options: .regularExpression) != nil)
        #expect(output.range(of: #"journal\.fsync\s+interval  \(default\)"#, options: .regularExpression) != nil)
    }
}

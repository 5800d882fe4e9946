import Foundation
import NewsModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension Tag {
    /// Tests that start real newsflow processes over real sockets.
    @Tag static var endToEnd: Self
}

/// Runs the real `newsflow` binary in a temporary data folder and inspects what it leaves there.
final class PipelineHarness: @unchecked Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The binary under test: `NEWSFLOW_BIN`, else the debug build next to the tests.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["NEWSFLOW_BIN"], !path.isEmpty { return path }
        for candidate in [".build/debug/newsflow", ".build/release/newsflow"] {
            let url = packageRoot.appendingPathComponent(candidate)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url.path }
        }
        return packageRoot.appendingPathComponent(".build/debug/newsflow").path
    }

    /// The Python with pyzmq and jsonschema: `NEWSFLOW_PYTHON`, else the Makefile's venv.
    static var python: String? {
        if let path = ProcessInfo.processInfo.environment["NEWSFLOW_PYTHON"], !path.isEmpty { return path }
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    let dataDir: URL
    var inbox: URL { dataDir.appendingPathComponent("inbox") }
    var out: URL { dataDir.appendingPathComponent("out") }
    var deadLetter: URL { dataDir.appendingPathComponent("dead-letter") }
    private(set) var process: Process?
    let logURL: URL

    init() throws {
        // ipc:// paths must stay under ~100 bytes, so the folder lives directly in /tmp.
        let url = URL(fileURLWithPath: "/tmp/nf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url.appendingPathComponent("inbox"), withIntermediateDirectories: true)
        self.dataDir = url
        self.logURL = url.appendingPathComponent("pipeline.log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
    }

    deinit {
        if let process, process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: dataDir)
    }

    /// Starts `newsflow <arguments> --data-dir <dataDir>` with its output in `pipeline.log`.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + ["--data-dir", dataDir.path]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = dataDir
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// Starts one more `newsflow` process (a role on its own), optionally feeding `stdin`. Its output goes
    /// to `pipeline.log`, or to its own file in the data folder when `logName` is given.
    func spawn(_ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:], logName: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + ["--data-dir", dataDir.path]
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = dataDir
        let logFile = logName.map { dataDir.appendingPathComponent($0) } ?? logURL
        if !FileManager.default.fileExists(atPath: logFile.path) { _ = FileManager.default.createFile(atPath: logFile.path, contents: nil) }
        let log = try FileHandle(forWritingTo: logFile)
        _ = try log.seekToEnd()
        process.standardOutput = log
        process.standardError = log
        let pipe = Pipe()
        if stdin != nil { process.standardInput = pipe }
        try process.run()
        if let stdin {
            pipe.fileHandleForWriting.write(Data(stdin))
            try pipe.fileHandleForWriting.close()
        }
        return process
    }

    /// Writes an article into the drop folder atomically (temporary name, then rename).
    func drop(_ name: String, _ bytes: [UInt8]) throws {
        let temporary = inbox.appendingPathComponent(".\(name).tmp")
        try Data(bytes).write(to: temporary)
        try FileManager.default.moveItem(at: temporary, to: inbox.appendingPathComponent(name))
    }

    /// Every JSON object in `folder/*.jsonl`.
    func records(in folder: URL) throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names.sorted() where name.hasSuffix(".jsonl") {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw HarnessError("a line of \(name) is not a JSON object")
                }
                records.append(object)
            }
        }
        return records
    }

    /// The ids of every line in `folder/*.jsonl`, read without decoding whole records (fast enough to poll).
    func ids(in folder: URL) -> [String] {
        var ids: [String] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz") {
            let url = folder.appendingPathComponent(name)
            let bytes = name.hasSuffix(".gz") ? Self.gunzip(url) : [UInt8](FileManager.default.contents(atPath: url.path) ?? Data())
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                if let id = RecordLine.id(in: bytes[start..<end]) { ids.append(id) }
                start = end + 1
            }
        }
        return ids
    }

    /// A gzip file's contents, through the system's gzip (an outside reader of what newsflow wrote).
    static func gunzip(_ url: URL) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    /// Waits until `condition` holds, polling, for at most `seconds`.
    func wait(seconds: Double, _ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HarnessError("timed out after \(seconds) s waiting for \(what); log:\n\(log.suffix(4000))")
    }

    /// Sends `signal` to the pipeline and waits for it to exit; returns its exit status.
    func stop(signal: Int32 = SIGTERM, seconds: Double = 30) throws -> Int32 {
        guard let process else { throw HarnessError("not started") }
        kill(process.processIdentifier, signal)
        try wait(seconds: seconds, "the pipeline to exit") { !process.isRunning }
        return process.terminationStatus
    }

    /// Waits for the pipeline to exit by itself.
    func waitForExit(seconds: Double) throws -> Int32 {
        guard let process else { throw HarnessError("not started") }
        try wait(seconds: seconds, "the pipeline to exit by itself") { !process.isRunning }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Pids of running processes whose command line mentions this data folder.
    func processesUsingDataDir() -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            let command = String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
            return command.contains(dataDir.path) && !command.contains("python")
        }.filter { pid in
            // Zombies that were already reaped by nobody do not count as running.
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !status.contains(") Z ")
        }
    }

    /// Runs a Python script with the venv's interpreter; returns its exit status and output.
    func python(_ script: String, arguments: [String]) throws -> (status: Int32, output: String) {
        guard let python = Self.python else { throw HarnessError("no Python venv: run `make test` to create .venv") }
        return try Self.runToEnd(python, [Self.packageRoot.appendingPathComponent(script).path] + arguments)
    }

    /// Runs a program from the package root to its end; its standard output and error together.
    static func runToEnd(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

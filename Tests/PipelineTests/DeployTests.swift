import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs a script of the repository with its output captured.
private func runScript(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, output: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = PipelineHarness.packageRoot
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

@Suite("Deployment files", .tags(.endToEnd))
struct DeployTests {
    @Test("systemd units verify, Kubernetes manifests validate for a current version, the Dockerfile and compose file parse with real tools")
    func validate() throws {
        guard let python = PipelineHarness.python else { throw HarnessError("no Python venv: run `make test` to create .venv") }
        let (status, output) = try runScript(python, ["Tests/python/validate_deploy.py", "--newsflow", PipelineHarness.binary])
        #expect(status == 0, "\(output)")
        #expect(output.contains("0 failed"), "\(output)")
    }
}

@Suite("Roles on separate hosts", .tags(.endToEnd), .serialized,
       .enabled(if: getuid() == 0, "needs root for network namespaces"))
struct MultiHostTests {
    @Test("fetcher, two workers and the sink in their own network namespaces: a worker cut off mid-run, every article once")
    func separateHosts() throws {
        let work = URL(fileURLWithPath: "/tmp/nf-multihost-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        var environment: [String: String] = [:]
        if let python = PipelineHarness.python { environment["NEWSFLOW_PYTHON"] = python }
        let (status, output) = try runScript(
            "/bin/bash", ["Tests/scripts/multihost.sh", PipelineHarness.binary, work.path], environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("multihost: PASS"), "\(output)")
        // No namespace of this run is left behind.
        let (_, namespaces) = try runScript("/usr/sbin/ip", ["netns", "list"])
        #expect(!namespaces.contains("nfmh-"), "\(namespaces)")
    }
}

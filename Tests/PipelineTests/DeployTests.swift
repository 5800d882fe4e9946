import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Deployment files", .tags(.endToEnd))
struct DeployTests {
    @Test("systemd units verify, Kubernetes manifests validate for a current version, the Dockerfile and compose file parse with real tools")
    func validate() throws {
        guard let python = PipelineHarness.python else { throw HarnessError("no Python venv: run `make test` to create .venv") }
        let (status, output) = try PipelineHarness.runToEnd(python, ["Tests/python/validate_deploy.py", "--newsflow", PipelineHarness.binary])
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
        let (status, output) = try PipelineHarness.runToEnd(
            "/bin/bash", ["Tests/scripts/multihost.sh", PipelineHarness.binary, work.path], environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("multihost: PASS"), "\(output)")
        // No namespace of this run is left behind.
        let (_, namespaces) = try PipelineHarness.runToEnd("/usr/sbin/ip", ["netns", "list"])
        #expect(!namespaces.contains("nfmh-"), "\(namespaces)")
    }
}

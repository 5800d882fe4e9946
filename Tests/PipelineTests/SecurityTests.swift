import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("CURVE security", .tags(.endToEnd), .serialized)
struct SecurityTests {
    /// A TCP port free on 127.0.0.1 right now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static var tcpdump: String? {
        ["/usr/bin/tcpdump", "/usr/sbin/tcpdump"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("with CURVE on, clients without a key or with an unknown key can neither inject nor take articles; an allowed key can, and the wire carries no article text")
    func curve() throws {
        let harness = try PipelineHarness()
        let keys = harness.dataDir.appendingPathComponent("keys")
        let allowed = keys.appendingPathComponent("allowed")
        try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
        for name in ["server", "worker", "producer"] {
            let keygen = try Self.run(PipelineHarness.binary, ["keygen", name, "--dir", keys.path])
            keygen.waitUntilExit()
            #expect(keygen.terminationStatus == 0)
        }
        let secret = try FileManager.default.attributesOfItem(atPath: keys.appendingPathComponent("server.key").path)
        #expect((secret[.posixPermissions] as? Int) == 0o600, "secret keys are readable by their owner only")
        for name in ["worker", "producer"] {
            try FileManager.default.copyItem(at: keys.appendingPathComponent("\(name).pub"),
                                             to: allowed.appendingPathComponent("\(name).pub"))
        }
        var ports: [String: Int] = [:]
        for name in ["ingest", "submit", "dispatch", "results", "acks"] { ports[name] = try Self.freePort() }
        func endpoint(_ name: String) -> String { "tcp://127.0.0.1:\(ports[name] ?? 0)" }
        var environment = [
            "NEWSFLOW_SECURITY_CURVE": "true",
            "NEWSFLOW_SECURITY_SERVER_KEY": keys.appendingPathComponent("server.key").path,
            "NEWSFLOW_SECURITY_SERVER_PUBLIC_KEY": keys.appendingPathComponent("server.pub").path,
            "NEWSFLOW_SECURITY_CLIENT_KEY": keys.appendingPathComponent("worker.key").path,
            "NEWSFLOW_SECURITY_ALLOWED_CLIENTS": allowed.path,
            "NEWSFLOW_METRICS_PORT": "0",
        ]
        for name in ports.keys { environment["NEWSFLOW_ENDPOINTS_\(name.uppercased())"] = endpoint(name) }

        // Everything on the pipeline's ports, from the first connection on, when tcpdump is there.
        let capture = harness.dataDir.appendingPathComponent("wire.pcap")
        var tcpdump: Process? = nil
        if let path = Self.tcpdump {
            let filter = ports.values.map { "port \($0)" }.joined(separator: " or ")
            tcpdump = try Self.run(path, ["-i", "lo", "-U", "-s", "0", "-w", capture.path, filter])
            Thread.sleep(forTimeInterval: 1)
        }
        try harness.start(["run", "--parsers", "1"], environment: environment)
        try harness.wait(seconds: 60, "the worker joined over CURVE") { harness.log.contains("worker joined") }

        let serverPublic = keys.appendingPathComponent("server.pub").path
        func probe(_ arguments: [String]) throws -> [String: Any] {
            let (status, output) = try harness.python(
                "Tests/python/curve_probe.py", arguments: [arguments[0], endpoint("ingest"), endpoint("dispatch"), serverPublic]
                    + arguments.dropFirst())
            #expect(status == 0, "\(output)")
            let line = output.split(separator: "\n").last.map(String.init) ?? ""
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
        }
        let plain = try probe(["plain", "PLAIN-MARKER", "20"])
        let unknown = try probe(["unknown", "UNKNOWN-MARKER", "20"])
        let good = try probe(["allowed", keys.appendingPathComponent("producer.key").path,
                              keys.appendingPathComponent("producer.pub").path, "ALLOWED-MARKER", "20"])
        #expect(plain["raw_received"] as? Int == 0, "a client without CURVE is given no article")
        #expect(unknown["raw_received"] as? Int == 0, "a client with an unknown key is given no article")
        #expect(good["sent"] as? Int == 20)

        try harness.wait(seconds: 60, "the 20 articles of the allowed producer in out/") {
            try harness.records(in: harness.out).filter { ($0["title"] as? String)?.hasPrefix("ALLOWED-MARKER") == true }.count == 20
        }
        Thread.sleep(forTimeInterval: 2)  // anything let in by mistake would arrive by now
        #expect(try harness.stop() == 0)
        if let tcpdump {
            // Children of the test runner inherit its blocked SIGINT and SIGTERM; with -U every packet is
            // already written, so SIGKILL loses nothing.
            kill(tcpdump.processIdentifier, SIGKILL)
            tcpdump.waitUntilExit()
        }

        let everything = try (harness.records(in: harness.out) + harness.records(in: harness.deadLetter)).map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }
        #expect(everything.count == 20)
        #expect(!everything.contains { $0.contains("PLAIN-MARKER") || $0.contains("UNKNOWN-MARKER") })
        #expect(harness.log.contains("refused a client"), "refusals are logged")

        if tcpdump != nil {
            let wire = [UInt8](try Data(contentsOf: capture))
            #expect(wire.count > 4096, "the capture holds the pipeline's traffic")
            #expect(wire.firstRange(of: Array("CURVE".utf8)) != nil, "the ZMTP greetings name the CURVE mechanism")
            #expect(wire.firstRange(of: Array("ALLOWED-MARKER".utf8)) == nil, "no article text in clear on the wire")
            #expect(wire.firstRange(of: Array("must only travel encrypted".utf8)) == nil)
        }
    }
}

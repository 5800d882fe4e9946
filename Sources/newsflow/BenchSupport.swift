import ArgumentParser
import Foundation
import NewsModel
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Watches `out/` for records of the benchmark's articles and notes when each line appeared.
final class OutWatcher: @unchecked Sendable {
    private let folder: URL
    private let expected: Int
    private let state = Mutex<(times: [Int: ContinuousClock.Instant], done: Bool)>(([:], false))
    private let finished = DispatchSemaphore(value: 0)
    private let stopRequested = Atomic<Bool>(false)

    init(folder: URL, expected: Int) {
        self.folder = folder
        self.expected = expected
    }

    var seenCount: Int { state.withLock { $0.times.count } }
    func seenTimes() -> [Int: ContinuousClock.Instant] { state.withLock { $0.times } }

    func start() {
        let thread = Thread { [self] in watch() }
        thread.name = "newsflow-bench-watch"
        thread.start()
    }

    /// Whether every expected record arrived before the timeout.
    func wait(timeout: Duration) -> Bool {
        let result = finished.wait(timeout: .now() + timeout.seconds) == .success
        stopRequested.store(true, ordering: .releasing)
        return result
    }

    private func watch() {
        var names: [String] = []
        var listed = ContinuousClock.now - .seconds(1)
        var offsets: [String: UInt64] = [:]
        var partial: [String: [UInt8]] = [:]
        let marker = Array("\"id\":\"bench-".utf8)
        var quiet = false
        while !stopRequested.load(ordering: .acquiring) {
            // The sink writes one file at a time: the folder is listed until its first file is there, then
            // every 100 ms, and every 2 ms while the files known give nothing new (the sink may have moved
            // to a new file: listing only every 100 ms added up to 100 ms to the latency of the lines
            // written after each rotation). The files are read every millisecond.
            let sinceListed = ContinuousClock.now - listed
            if names.isEmpty || sinceListed > .milliseconds(100) || quiet && sinceListed > .milliseconds(2) {
                names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?.filter { $0.hasSuffix(".jsonl") } ?? []
                listed = ContinuousClock.now
            }
            var found: [Int] = []
            for name in names {
                guard let handle = FileHandle(forReadingAtPath: folder.appendingPathComponent(name).path) else { continue }
                defer { try? handle.close() }
                try? handle.seek(toOffset: offsets[name] ?? 0)
                guard let chunk = try? handle.readToEnd(), !chunk.isEmpty else { continue }
                offsets[name, default: 0] += UInt64(chunk.count)
                var bytes = partial[name] ?? []
                bytes.append(contentsOf: chunk)
                var lineStart = 0
                for (position, byte) in bytes.enumerated() where byte == 0x0A {
                    if let index = Self.benchIndex(bytes[lineStart..<position], marker: marker) { found.append(index) }
                    lineStart = position + 1
                }
                partial[name] = Array(bytes[lineStart...])
            }
            quiet = found.isEmpty
            if !found.isEmpty {
                let now = ContinuousClock.now
                let complete = state.withLock { state -> Bool in
                    for index in found where state.times[index] == nil { state.times[index] = now }
                    if state.times.count >= expected, !state.done {
                        state.done = true
                        return true
                    }
                    return false
                }
                if complete { finished.signal() }
            }
            usleep(1000)
        }
    }

    /// The article number in `"id":"bench-000123"`.
    private static func benchIndex(_ line: ArraySlice<UInt8>, marker: [UInt8]) -> Int? {
        guard line.count > marker.count else { return nil }
        var index = line.startIndex
        let last = line.endIndex - marker.count
        while index < last {
            if line[index] == marker[0], line[index..<(index + marker.count)].elementsEqual(marker) {
                var value = 0
                var position = index + marker.count
                while position < line.endIndex, line[position] >= 0x30, line[position] <= 0x39 {
                    value = value * 10 + Int(line[position] - 0x30)
                    position += 1
                }
                return value
            }
            index += 1
        }
        return nil
    }
}

/// What the benchmarks share: generated articles, quantiles, free ports, memory of processes.
enum BenchSupport {
    /// This executable, for the child processes a benchmark starts.
    static var executable: String {
        Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    static func id(_ index: Int) -> String {
        // Not `String(format:)`: the producer makes one per article, and its time is the machine's too.
        let digits = String(index)
        return "bench-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// A news-like article of about `size` bytes, different for every index (so no two share an id or a
    /// simhash by accident).
    static func article(index: Int, size: Int) -> [UInt8] {
        let cities = [("Nairobi", "Kenya"), ("Oslo", "Norway"), ("Lima", "Peru"), ("Hanoi", "Vietnam"), ("Accra", "Ghana")]
        let (city, country) = cities[index % cities.count]
        let day = index % 28 + 1
        var text = " date 2024-03-\(day < 10 ? "0" : "")\(day) Generated story number \(index)\n\n\(city), \(country), March \(day)\n\n"
        var sentence = 0
        while text.utf8.count < size {
            text += "Officials in \(city) said on Tuesday that project \(index)-\(sentence) would start next month, the ministry said. "
            text += "Finance Minister Anna Berg told Reuters the plan covers \((index + sentence) % 97 + 3) districts.\n\n"
            sentence += 1
        }
        return Array(text.utf8.prefix(size))
    }

    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))]
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        FileHandle.standardOutput.write(try encoder.encode(value) + Data("\n".utf8))
    }

    /// Ports free on the loopback interface right now.
    static func freePorts(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
            }
            guard bound == 0 else { throw BenchFailure(message: "cannot find a free port") }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
            sockets.append(descriptor)
        }
        return ports
    }

    /// Peak resident memory (VmHWM) in MB of a process and its children, by role (`supervisor`, `fetcher`,
    /// `sink`, `parser-1`, ...).
    static func peakMemory(of root: Int32) -> [String: Double] {
        roles(of: root).compactMapValues(vmHWM)
    }

    /// CPU time (user + system, seconds) so far of a process and its children, by role.
    static func cpuSeconds(of root: Int32) -> [String: Double] {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return roles(of: root).compactMapValues { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { return nil }
            // After the command's closing parenthesis: state is field 3, utime 14 and stime 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
            return (user + system) / ticks
        }
    }

    /// A process (`supervisor`) and its children by role, from /proc.
    private static func roles(of root: Int32) -> [String: Int32] {
        var result: [String: Int32] = ["supervisor": root]
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == root else { continue }
            let arguments = ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "")
                .split(separator: "\0").map(String.init)
            let role = arguments.firstIndex(of: "--instance").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
                ?? (arguments.count > 1 ? arguments[1] : "pid \(pid)")
            result[role] = pid
        }
        return result
    }

    private static func vmHWM(_ pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }
}

/// `newsflow bench generate DIR`: writes the benchmark's generated articles as files, so other programs
/// (the peer pipeline of `bench/compare.sh`, `bench parse`) work on exactly the same text.
struct BenchGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write the generated benchmark articles into a folder, one file each.")

    @Argument(help: "The folder to write (created).") var folder: String
    @Option(name: .long, help: "Articles.") var articles = 20_000
    @Option(name: .long, help: "Bytes per article.") var size = 2048

    func run() throws {
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for index in 0..<articles {
            try Data(BenchSupport.article(index: index, size: size))
                .write(to: url.appendingPathComponent(String(format: "bench-%07d.txt", index)))
        }
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

import Foundation
import Logging
import Metrics
import Observability
import RoleSupport
import ServiceLifecycle
import Subprocess
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The one-host orchestrator: starts the sink, N parser workers and the fetcher as child processes of the
/// same executable, restarts any that exits unexpectedly (with exponential backoff), and stops them in
/// reverse start order on shutdown: the fetcher first (it drains), then the workers, then the sink.
public struct SupervisorService: Service {
    /// What the coordinator reacts to.
    enum Event: Sendable {
        case shutdown
        case drained
        case reload
    }

    /// What a reload produced: the new supervisor settings, the effective value of every key, and the log
    /// level, or why the configuration could not be used.
    public typealias Reloaded = Result<(configuration: SupervisorConfiguration, values: [String: String], logLevel: String), any Error>

    /// Reads the configuration again (SIGHUP).
    public typealias Reloader = @Sendable () async -> Reloaded

    private let configuration: SupervisorConfiguration
    private let layout: DataLayout
    private let executable: String
    private let sharedArguments: [String]
    private let logger: Logger
    private let reloader: Reloader?
    private let initialValues: [String: String]

    /// Creates the supervisor. `sharedArguments` (config file, data folder, log level) are passed to
    /// every child.
    public init(configuration: SupervisorConfiguration, layout: DataLayout, executable: String, sharedArguments: [String],
                logger: Logger, values: [String: String] = [:], reloader: Reloader? = nil) {
        self.configuration = configuration
        self.initialValues = values
        self.reloader = reloader
        self.layout = layout
        self.executable = executable
        self.sharedArguments = sharedArguments
        var logger = logger
        logger[metadataKey: "role"] = "supervisor"
        logger[metadataKey: "instance"] = "supervisor"
        self.logger = logger
    }

    /// The children in start order.
    public var children: [ChildSpec] {
        var children = [ChildSpec(role: "sink", instance: "sink", arguments: ["sink", "--instance", "sink"] + sharedArguments)]
        for index in 1...configuration.parsers { children.append(parser(index)) }
        var fetcher = ["fetcher", "--instance", "fetcher"]
        if configuration.exitWhenDrained { fetcher.append("--exit-when-drained") }
        children.append(ChildSpec(role: "fetcher", instance: "fetcher", arguments: fetcher + sharedArguments))
        return children
    }

    private func parser(_ index: Int) -> ChildSpec {
        ChildSpec(role: "parser", instance: "parser-\(index)",
                  arguments: ["parser", "--instance", "parser-\(index)"] + sharedArguments)
    }

    /// The parser count asked for by `newsflow scale parsers=N` (`run/scale.parsers`), taken once: it lasts
    /// until the next reload or restart, so the config file stays the lasting setting.
    static func takeScaleRequest(_ layout: DataLayout) -> Int? {
        let file = layout.run.appendingPathComponent("scale.parsers")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        try? FileManager.default.removeItem(at: file)
        guard let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), (1...256).contains(count) else { return nil }
        return count
    }

    /// Runs the pipeline until shutdown (or, with `--exit-when-drained`, until it has drained).
    public func run() async throws {
        let table = ChildTable()
        let (events, stopRequests) = AsyncStream<Event>.makeStream()
        var children = self.children
        table.setSpecs(children)
        // Installed before any child exists, so a SIGHUP never meets the default action (termination).
        let hangups = SignalWatcher(signal: SIGHUP) { stopRequests.yield(.reload) }
        defer { hangups.cancel() }
        logger.info("starting pipeline", metadata: ["parsers": "\(configuration.parsers)"])
        // `newsflow scale` finds this supervisor by its pid file.
        let pidFile = layout.run.appendingPathComponent("supervisor.pid")
        try? Data("\(getpid())\n".utf8).write(to: pidFile)
        defer { try? FileManager.default.removeItem(at: pidFile) }
        let rates = RateSampler()
        let endpoints = SupervisorEndpoints(table: table, layout: layout, rates: rates)
        var server: HTTPEndpoint? = nil
        if configuration.metricsPort >= 0 {
            do {
                server = try await HTTPEndpoint.start(host: configuration.metricsHost, port: configuration.metricsPort) {
                    endpoints.respond($0)
                }
                if let port = server?.port {
                    try? Data("\(port)\n".utf8).write(to: layout.run.appendingPathComponent("supervisor.port"))
                    logger.info("serving /metrics, /healthz, /readyz, /status",
                                metadata: ["http.address": "\(configuration.metricsHost):\(port)"])
                }
            } catch {
                logger.error("cannot serve metrics; the pipeline runs without them: choose another metrics.port",
                             metadata: ["http.port": "\(configuration.metricsPort)", "error": "\(error)"])
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for child in children {
                group.addTask { await self.supervise(child, table: table, stopRequests: stopRequests) }
                if child.role == "sink" {
                    // Let the sink bind before workers connect, so nothing queues toward a missing peer.
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            group.addTask {
                // Throws only on cancellation, which also means: stop.
                try? await gracefulShutdown()
                stopRequests.yield(.shutdown)
            }
            group.addTask {
                while !Task.isCancelled {
                    rates.sample(endpoints.childExpositions())
                    try? await Task.sleep(for: .seconds(5))
                }
            }
            var values = initialValues
            var reason = Event.shutdown
            for await event in events {
                guard case .reload = event else {
                    reason = event
                    break
                }
                guard let reloader else { continue }
                switch await reloader() {
                case .failure(let error):
                    logger.error("reload refused: the configuration is not valid; nothing changed", metadata: ["error": "\(error)"])
                case .success(let reloaded):
                    let changed = values.keys.sorted().filter { values[$0] != reloaded.values[$0] }
                    values = reloaded.values
                    let live: Set<String> = ["parsers", "log.level"]
                    let refused = changed.filter { !live.contains($0) }
                    if !refused.isEmpty {
                        logger.warning("these settings cannot change while running; restart to apply them",
                                       metadata: ["keys": "\(refused.joined(separator: ", "))"])
                    }
                    if changed.contains("log.level") {
                        LogLevelControl.level = Logger.Level(rawValue: reloaded.logLevel) ?? .info
                        // A child that has not yet installed its SIGHUP handler would be killed by the signal's
                        // default action: signal only children that have started exporting metrics (which
                        // happens after the handler is in place), and try the others again for a while.
                        let instances = children.map(\.instance)
                        group.addTask { await self.forwardHangup(to: instances, table: table) }
                        logger.notice("log level changed", metadata: ["log.level": "\(reloaded.logLevel)"])
                    }
                    let current = children.filter { $0.role == "parser" }.count
                    var wanted = reloaded.configuration.parsers
                    if let asked = Self.takeScaleRequest(layout) {
                        wanted = asked
                        logger.notice("scale requested", metadata: ["parsers": "\(asked)"])
                    }
                    if wanted > current {
                        for index in (current + 1)...wanted {
                            let spec = parser(index)
                            children.insert(spec, at: children.count - 1)
                            group.addTask { await self.supervise(spec, table: table, stopRequests: stopRequests) }
                        }
                    } else if wanted < current {
                        let retired = children.filter { $0.role == "parser" }.suffix(current - wanted).map(\.instance)
                        for instance in retired { table.retire(instance) }
                        table.signal(retired, SIGTERM)
                        children.removeAll { retired.contains($0.instance) }
                    }
                    table.setSpecs(children)
                    if wanted != current {
                        logger.notice("parser workers scaled", metadata: ["parsers.from": "\(current)", "parsers.to": "\(wanted)"])
                    }
                }
            }
            logger.info("stopping pipeline", metadata: ["reason": "\(reason)"])
            await stopInOrder(children, table: table)
            group.cancelAll()
        }
        await server?.close()
        try? FileManager.default.removeItem(at: layout.run.appendingPathComponent("supervisor.port"))
        logger.info("pipeline stopped")
    }

    private func supervise(
        _ child: ChildSpec, table: ChildTable, stopRequests: AsyncStream<Event>.Continuation
    ) async {
        var backoff = Duration.milliseconds(configuration.restartBackoffMilliseconds)
        let maxBackoff = Duration.milliseconds(configuration.restartBackoffMaxMilliseconds)
        let clock = ContinuousClock()
        var logger = self.logger
        logger[metadataKey: "child.instance"] = "\(child.instance)"
        // Exported from the start at 0, so that increase() over the first restarts counts them all.
        let restarts = Counter(label: "newsflow_restarts_total", dimensions: [("role", child.role), ("instance", child.instance)])
        restarts.increment(by: 0)
        while !table.isStopping && !table.isRetired(child.instance) {
            let started = clock.now
            var options = PlatformOptions()
            // Its own process group: a terminal's Ctrl-C reaches only the supervisor, which stops the
            // children in order.
            options.processGroupID = 0
            let status: TerminationStatus
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(child.arguments),
                    environment: .inherit.updating(["NEWSFLOW_SUPERVISOR_PID": "\(getpid())"]),
                    platformOptions: options, input: .none, output: .currentStandardOutput,
                    error: .currentStandardError
                ) { execution in
                    table.started(child.instance, pid: execution.processIdentifier.value)
                    logger.info("child started", metadata: ["child.pid": "\(execution.processIdentifier.value)"])
                }
                status = result.terminationStatus
            } catch {
                logger.error("cannot start child", metadata: ["error": "\(error)"])
                status = .exited(127)
            }
            table.exited(child.instance)
            if table.isStopping || table.isRetired(child.instance) { return }
            if child.role == "fetcher", configuration.exitWhenDrained, status == .exited(0) {
                logger.info("fetcher drained its sources")
                stopRequests.yield(.drained)
                return
            }
            let uptime = clock.now - started
            if uptime > .seconds(30) { backoff = .milliseconds(configuration.restartBackoffMilliseconds) }
            restarts.increment()
            logger.warning("child exited unexpectedly; restarting",
                           metadata: ["child.status": "\(status)", "restart.delay": "\(backoff)"])
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, maxBackoff)
        }
    }

    /// Sends SIGHUP to each child once it is able to handle it (its metrics export file is newer than its
    /// start), for at most 30 s.
    private func forwardHangup(to instances: [String], table: ChildTable) async {
        var waiting = Set(instances)
        let deadline = ContinuousClock.now + .seconds(30)
        while !waiting.isEmpty, ContinuousClock.now < deadline, !Task.isCancelled {
            for instance in waiting {
                guard let started = table.life(of: instance)?.started, table.pid(of: instance) != nil else { continue }
                let file = layout.run.appendingPathComponent("metrics-\(instance).prom").path
                let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate]) as? Date
                if let modified, modified > started {
                    table.signal([instance], SIGHUP)
                    waiting.remove(instance)
                }
            }
            if !waiting.isEmpty { try? await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// Stops the fetcher, then the workers, then the sink: each group gets SIGTERM and the stop timeout to
    /// drain, then SIGKILL.
    private func stopInOrder(_ children: [ChildSpec], table: ChildTable) async {
        table.beginStopping()
        let stages = [["fetcher"], ["parser"], ["sink"]].map { roles in
            children.filter { roles.contains($0.role) }.map(\.instance)
        }
        let clock = ContinuousClock()
        for stage in stages {
            table.signal(stage, SIGTERM)
            let deadline = clock.now + .milliseconds(configuration.stopTimeoutMilliseconds)
            while stage.contains(where: { table.pid(of: $0) != nil }), clock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            let stuck = stage.filter { table.pid(of: $0) != nil }
            if !stuck.isEmpty {
                logger.error("children did not stop in time; killing them", metadata: ["children": "\(stuck)"])
                table.signal(stuck, SIGKILL)
                while stuck.contains(where: { table.pid(of: $0) != nil }) {
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
        }
    }
}

import Foundation
import Logging
import Synchronization

/// The process's log level, changeable while running (SIGHUP reload).
public enum LogLevelControl {
    private static let current = Atomic<UInt8>(2)  // info
    private static let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]

    /// The level every handler of this process uses.
    public static var level: Logger.Level {
        get { levels[Int(current.load(ordering: .relaxed))] }
        set { current.store(UInt8(levels.firstIndex(of: newValue) ?? 2), ordering: .relaxed) }
    }
}

/// Log lines on standard error, human-readable or one JSON object each, at the process's current level.
/// Metadata keys are dotted (`article.id`); every role adds `role` and `instance`.
public struct NewsflowLogHandler: LogHandler {
    /// How lines look.
    public enum Format: Sendable {
        case human, json
    }

    private let label: String
    private let format: Format
    /// Metadata for every line of this logger.
    public var metadata: Logger.Metadata = [:]

    /// A handler for `label` in `format`.
    public init(label: String, format: Format) {
        self.label = label
        self.format = format
    }

    /// The process-wide level (see ``LogLevelControl``).
    public var logLevel: Logger.Level {
        get { LogLevelControl.level }
        set { LogLevelControl.level = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let line: String
        switch format {
        case .json:
            var object: [String: Any] = ["ts": time, "level": event.level.rawValue, "message": "\(event.message)", "logger": label]
            for (key, value) in merged { object[key] = Self.plain(value) }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        case .human:
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            line = "\(time) \(event.level.rawValue) \(label): \(fields.isEmpty ? "" : fields + " ")\(event.message)"
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): "\(value)"
        case .array(let values): values.map(plain)
        case .dictionary(let dictionary): dictionary.mapValues(plain)
        }
    }
}

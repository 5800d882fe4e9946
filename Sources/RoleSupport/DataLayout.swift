import Foundation

/// The data folder and its sub-folders: `inbox/`, `journal/`, `out/`, `dead-letter/`, `state/`, `run/`.
public struct DataLayout: Sendable {
    /// The data folder itself (default `./data`).
    public let root: URL

    /// A layout rooted at `path` (relative paths are taken from the current directory).
    public init(path: String) {
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The watched drop folder.
    public var inbox: URL { root.appendingPathComponent("inbox", isDirectory: true) }
    /// The fetcher's journal (stored raw stream).
    public var journal: URL { root.appendingPathComponent("journal", isDirectory: true) }
    /// Parsed records, `*.jsonl`.
    public var out: URL { root.appendingPathComponent("out", isDirectory: true) }
    /// Articles that could not be parsed, with reasons.
    public var deadLetter: URL { root.appendingPathComponent("dead-letter", isDirectory: true) }
    /// Small state files (taken-file index, sequence numbers).
    public var state: URL { root.appendingPathComponent("state", isDirectory: true) }
    /// ipc:// sockets and pid files.
    public var run: URL { root.appendingPathComponent("run", isDirectory: true) }

    /// Creates every folder that does not exist yet.
    public func create() throws(RoleError) {
        for folder in [root, inbox, journal, out, deadLetter, state, run] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw RoleError(
                    .dataFolder, "cannot create \(folder.path): check the --data-dir path and its permissions",
                    underlying: error)
            }
        }
    }
}

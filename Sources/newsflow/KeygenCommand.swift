import ArgumentParser
import Foundation
import ZeroMQ

/// `newsflow keygen NAME`: a CURVE key pair for `security.*` (see the README).
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Write a CURVE key pair: DIR/NAME.key (Z85 secret key, mode 0600) and DIR/NAME.pub (Z85 public key).")

    @Argument(help: "Name of the key pair, e.g. server, parser-1, sink.")
    var name: String

    @Option(name: .long, help: "Folder to write the files to.")
    var dir: String = "."

    @Flag(name: .long, help: "Replace existing files.")
    var force = false

    func run() throws {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw ValidationError("the name must be a plain file name, got \(name.debugDescription)")
        }
        guard Curve.isAvailable else { throw ValidationError("this libzmq was built without CURVE") }
        let folder = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let secretURL = folder.appendingPathComponent("\(name).key")
        let publicURL = folder.appendingPathComponent("\(name).pub")
        if !force, FileManager.default.fileExists(atPath: secretURL.path) || FileManager.default.fileExists(atPath: publicURL.path) {
            throw ValidationError("\(secretURL.path) or \(publicURL.path) exists; use --force to replace it")
        }
        let keys = try CurveKeyPair.generate()
        // The secret key is created readable by its owner only, before anything is written to it.
        _ = FileManager.default.createFile(atPath: secretURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: secretURL)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data((keys.secretKey + "\n").utf8))
        try handle.close()
        try Data((keys.publicKey + "\n").utf8).write(to: publicURL)
        print("wrote \(secretURL.path) (secret: keep it on this host) and \(publicURL.path)")
        print("public key: \(keys.publicKey)")
    }
}

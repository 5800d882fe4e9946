import Configuration
import Foundation
import Logging
import ZeroMQ

/// CURVE encryption and client authentication for every socket that faces another process
/// (`security.*` keys). Off by default, for one host; required across hosts, where anyone on the network
/// could otherwise read the articles or inject their own.
///
/// Binding roles (fetcher, sink) are CURVE servers with the pipeline's server key pair and let in only
/// clients whose public key is in `security.allowed_clients`, checked by a ZAP handler (without one libzmq
/// would accept any client key). Connecting roles (workers, the sink toward the fetcher's acks, producers)
/// are CURVE clients with a key pair of their own and the servers' public key. `newsflow keygen` makes the
/// key files: `NAME.key` holds the Z85 secret key, `NAME.pub` the Z85 public key.
public struct TransportSecurity: Sendable {
    /// Whether CURVE is on (`security.curve`, bool, default false).
    public let enabled: Bool
    /// The servers' key pair (`security.server_key`: the secret key file), for binding roles.
    public let serverKeys: CurveKeyPair?
    /// The servers' public key (`security.server_public_key`: the public key file), for connecting roles.
    public let serverPublicKey: String?
    /// This process's client key pair (`security.client_key`: the secret key file), for connecting roles.
    public let clientKeys: CurveKeyPair?
    /// The public keys allowed to connect (`security.allowed_clients`: a folder of `*.pub` files or one
    /// file with a key per line), for binding roles.
    public let allowedClients: Set<[UInt8]>

    /// Security off.
    public static let off = TransportSecurity(enabled: false, serverKeys: nil, serverPublicKey: nil, clientKeys: nil,
                                              allowedClients: [])

    private init(enabled: Bool, serverKeys: CurveKeyPair?, serverPublicKey: String?, clientKeys: CurveKeyPair?,
                 allowedClients: Set<[UInt8]>) {
        self.enabled = enabled
        self.serverKeys = serverKeys
        self.serverPublicKey = serverPublicKey
        self.clientKeys = clientKeys
        self.allowedClients = allowedClients
    }

    /// Reads the `security.*` keys and the key files they name. Files that are named must be readable
    /// and hold keys; which ones a role needs is checked when its sockets are made.
    public init(config: ConfigReader) throws(RoleError) {
        let security = config.scoped(to: "security")
        guard security.bool(forKey: "curve", default: false) else {
            self = .off
            return
        }
        guard Curve.isAvailable else {
            throw RoleError(.configuration, "security.curve is on but this libzmq was built without CURVE")
        }
        func path(_ key: String) -> String? {
            let value = security.string(forKey: ConfigKey([key]), default: "")
            return value.isEmpty ? nil : value
        }
        let serverKeys = try path("server_key").map { file throws(RoleError) in try Self.keyPair(file, key: "security.server_key") }
        let serverPublicKey = try path("server_public_key").map { file throws(RoleError) in
            try Self.publicKey(file, key: "security.server_public_key")
        }
        let clientKeys = try path("client_key").map { file throws(RoleError) in try Self.keyPair(file, key: "security.client_key") }
        let allowed = try path("allowed_clients").map { file throws(RoleError) in try Self.allowedKeys(file) } ?? []
        self.init(enabled: true, serverKeys: serverKeys, serverPublicKey: serverPublicKey ?? serverKeys?.publicKey,
                  clientKeys: clientKeys, allowedClients: allowed)
    }

    /// Makes `socket` a CURVE server (before it binds), when security is on.
    public func secureServer(_ socket: Socket, endpoint: String) throws(RoleError) {
        guard enabled else { return }
        guard let serverKeys else {
            throw RoleError(.configuration, "security.curve is on: set security.server_key to bind \(endpoint)")
        }
        do {
            try socket.setCurveServer(serverKeys)
        } catch {
            throw RoleError(.socket, "cannot make \(endpoint) a CURVE server", underlying: error)
        }
    }

    /// Makes `socket` a CURVE client (before it connects), when security is on. `keys` replaces the
    /// configured client key (an in-process client with keys of its own).
    public func secureClient(_ socket: Socket, endpoint: String, keys: CurveKeyPair? = nil) throws(RoleError) {
        guard enabled else { return }
        guard let keys = keys ?? clientKeys, let serverPublicKey else {
            throw RoleError(.configuration,
                            "security.curve is on: set security.client_key and security.server_public_key to connect to \(endpoint)")
        }
        do {
            try socket.setCurveClient(keys, serverPublicKey: serverPublicKey)
        } catch {
            throw RoleError(.socket, "cannot make the socket to \(endpoint) a CURVE client", underlying: error)
        }
    }

    /// Starts the ZAP handler of `context`, before any of its server sockets binds, when security is on.
    /// `alsoAllowed` are keys of this process's own in-process clients. Refused clients are logged (the
    /// first time per key and address, then every 1,000th) and counted as rejected `unknown_client_key`.
    public func startAuthenticator(context: Context, logger: Logger, counters: RoleCounters,
                                   alsoAllowed: [CurveKeyPair] = []) throws(RoleError) -> ZAPHandler? {
        guard enabled else { return nil }
        let allowed = allowedClients.union(alsoAllowed.compactMap { Curve.decode($0.publicKey) })
        if allowedClients.isEmpty {
            logger.warning("security.curve is on but security.allowed_clients lists no key: no other process can connect")
        }
        let refusals = RefusalLog()
        do {
            return try ZAPHandler(context: context, allowedKeys: allowed) { decision in
                guard !decision.allowed else { return }
                counters.rejected("unknown_client_key")
                let count = refusals.record("\(decision.clientKey ?? "-")@\(decision.address)")
                if count == 1 || count % 1000 == 0 {
                    logger.warning("refused a client: \(decision.reason)", metadata: [
                        "client.key": "\(decision.clientKey ?? "none")", "client.address": "\(decision.address)",
                        "refusals": "\(count)",
                    ])
                }
            }
        } catch {
            throw RoleError(.socket, "cannot start the ZAP handler that authenticates clients", underlying: error)
        }
    }

    // MARK: - Key files

    private static func firstLine(_ file: String, key: String) throws(RoleError) -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RoleError(.configuration, "\(key): cannot read \(file)")
        }
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    private static func keyPair(_ file: String, key: String) throws(RoleError) -> CurveKeyPair {
        let secret = try firstLine(file, key: key)
        do {
            return try CurveKeyPair(secretKey: secret)
        } catch {
            throw RoleError(.configuration, "\(key): \(file) does not hold a Z85 secret key (make one with newsflow keygen)")
        }
    }

    private static func publicKey(_ file: String, key: String) throws(RoleError) -> String {
        let text = try firstLine(file, key: key)
        guard Curve.isKey(text) else {
            throw RoleError(.configuration, "\(key): \(file) does not hold a Z85 public key (make one with newsflow keygen)")
        }
        return text
    }

    private static func allowedKeys(_ path: String) throws(RoleError) -> Set<[UInt8]> {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw RoleError(.configuration, "security.allowed_clients: \(path) does not exist")
        }
        var lines: [(String, String)] = []
        let files = isFolder.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".pub") }.sorted()
                .map { path + "/" + $0 }
            : [path]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw RoleError(.configuration, "security.allowed_clients: cannot read \(file)")
            }
            for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.hasPrefix("#") { continue }
                lines.append((text, file))
            }
        }
        var keys = Set<[UInt8]>()
        for (text, file) in lines {
            guard let key = Curve.decode(text) else {
                throw RoleError(.configuration, "security.allowed_clients: \(file) holds \(text.debugDescription), not a Z85 public key")
            }
            keys.insert(key)
        }
        return keys
    }
}

/// How many times each client was refused, shared with the ZAP handler's thread.
private final class RefusalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func record(_ client: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if counts.count > 10_000 { counts.removeAll() }
        counts[client, default: 0] += 1
        return counts[client, default: 0]
    }
}

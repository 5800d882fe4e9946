import CZeroMQ

/// A CURVE key pair in Z85 text (40 characters each), as `zmq_curve_keypair` makes them.
public struct CurveKeyPair: Sendable, Equatable {
    /// The public key: given to peers.
    public let publicKey: String
    /// The secret key: never leaves its owner.
    public let secretKey: String

    /// A new random key pair.
    public static func generate() throws(ZeroMQError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        try zmqCheck("zmq_curve_keypair") { zmq_curve_keypair(&publicKey, &secretKey) }
        return CurveKeyPair(publicKey: Curve.text(publicKey), secretKey: Curve.text(secretKey))
    }

    /// The pair of a secret key (its public key is derived from it).
    public init(secretKey: String) throws(ZeroMQError) {
        guard Curve.isKey(secretKey) else {
            throw ZeroMQError(code: EINVAL, operation: "zmq_curve_public", detail: "not a 40-character Z85 key")
        }
        var publicKey = [CChar](repeating: 0, count: 41)
        try zmqCheck("zmq_curve_public") { zmq_curve_public(&publicKey, secretKey) }
        self.init(publicKey: Curve.text(publicKey), secretKey: secretKey)
    }

    private init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}

/// Z85 keys and their 32-byte binary form.
public enum Curve {
    /// Whether `libzmq` was built with CURVE (libsodium or its own TweetNaCl).
    public static var isAvailable: Bool { zmq_has("curve") != 0 }

    /// Whether `text` looks like a Z85 key: 40 characters of the Z85 alphabet.
    public static func isKey(_ text: String) -> Bool {
        text.utf8.count == 40 && decode(text) != nil
    }

    /// The 32 bytes of a Z85 key, or `nil` when it is not one.
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.utf8.count == 40 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        let decoded = bytes.withUnsafeMutableBufferPointer { buffer in zmq_z85_decode(buffer.baseAddress, text) }
        return decoded == nil ? nil : bytes
    }

    /// The Z85 text of 32 key bytes.
    public static func encode(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: 41)
        let encoded = bytes.withUnsafeBufferPointer { zmq_z85_encode(&text, $0.baseAddress, 32) }
        return encoded == nil ? nil : Curve.text(text)
    }

    static func text(_ characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension Socket {
    /// Makes this socket a CURVE server with `keys`: every connection is encrypted, and clients are
    /// authenticated by the context's ZAP handler (``ZAPHandler``). Set before binding.
    public func setCurveServer(_ keys: CurveKeyPair) throws(ZeroMQError) {
        try setInt32(ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER")
        try setBytes(ZMQ_CURVE_SECRETKEY, Array(keys.secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
        // A domain makes libzmq ask the ZAP handler about every client.
        try setBytes(ZMQ_ZAP_DOMAIN, Array("newsflow".utf8), "ZMQ_ZAP_DOMAIN")
    }

    /// Makes this socket a CURVE client with its own `keys`, talking to the server whose public key is
    /// `serverPublicKey`. Set before connecting.
    public func setCurveClient(_ keys: CurveKeyPair, serverPublicKey: String) throws(ZeroMQError) {
        try setBytes(ZMQ_CURVE_SERVERKEY, Array(serverPublicKey.utf8), "ZMQ_CURVE_SERVERKEY")
        try setBytes(ZMQ_CURVE_PUBLICKEY, Array(keys.publicKey.utf8), "ZMQ_CURVE_PUBLICKEY")
        try setBytes(ZMQ_CURVE_SECRETKEY, Array(keys.secretKey.utf8), "ZMQ_CURVE_SECRETKEY")
    }
}

import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 server for `/metrics`, `/healthz`, `/readyz` and `/status`: GET only, one response per
/// request, answered by a handler that is called on NIO's event loop and must not block.
public final class HTTPEndpoint: Sendable {
    /// A response.
    public struct Response: Sendable {
        /// HTTP status code.
        public var status: Int
        /// Content type.
        public var contentType: String
        /// Body.
        public var body: [UInt8]

        /// Creates a response.
        public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        /// Plain text.
        public static func text(_ text: String, status: Int = 200) -> Response {
            Response(status: status, body: Array(text.utf8))
        }
    }

    /// Answers a path.
    public typealias Handler = @Sendable (String) -> Response

    private let channel: any Channel
    /// The port actually bound (useful with port 0).
    public let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Binds `host:port` and serves until ``close()``.
    public static func start(host: String, port: Int, handler: @escaping Handler) async throws -> HTTPEndpoint {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(RequestHandler(handler: handler))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return HTTPEndpoint(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops serving.
    public func close() async {
        try? await channel.close()
    }

    private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let handler: Handler
        private var path = "/"

        init(handler: @escaping Handler) { self.handler = handler }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                path = String(head.uri.split(separator: "?").first ?? "/")
            case .body:
                break
            case .end:
                let response = handler(path)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: response.contentType)
                headers.add(name: "Content-Length", value: String(response.body.count))
                headers.add(name: "Connection", value: "close")
                let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status),
                                            headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: response.body.count)
                buffer.writeBytes(response.body)
                context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
            }
        }
    }
}

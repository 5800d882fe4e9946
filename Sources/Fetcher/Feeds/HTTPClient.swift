import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET at a time per call, through URLSession (libcurl underneath on Linux, so HTTPS, HTTP/2 and
/// compression come with the toolchain and cost no build time). Redirects are not followed here: the caller
/// follows them itself, counting hops and keeping each host's politeness. The body is read as it arrives and
/// the transfer is cut off past `maxBytes`; the whole request, first byte to last, has a deadline.
final class HTTPClient: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What came back.
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data
        var url: URL

        /// A header by name, any case.
        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.key.lowercased() == lower }?.value
        }
    }

    enum Failure: Error, CustomStringConvertible, Sendable {
        case timedOut(seconds: Double)
        case tooLarge(limit: Int)
        case transport(String)

        var description: String {
            switch self {
            case .timedOut(let seconds): "timed out after \(seconds) s"
            case .tooLarge(let limit): "body larger than \(limit) bytes (limits.max_article_bytes); transfer cut off"
            case .transport(let message): message
            }
        }
    }

    private struct Transfer {
        var maxBytes: Int
        var response: HTTPURLResponse?
        var body = Data()
        var failure: Failure?
        var done: (@Sendable (Result<Response, Failure>) -> Void)?
    }

    private var session: URLSession!
    private let transfers = Mutex<[Int: Transfer]>([:])
    private let userAgent: String

    init(userAgent: String) {
        self.userAgent = userAgent
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 1
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
    }

    /// Stops every transfer; their callbacks report a transport failure.
    func shutdown() {
        session.invalidateAndCancel()
    }

    /// Starts a GET; `done` is called once, on the session's queue.
    func get(_ url: URL, headers: [String: String], timeout: Duration, maxBytes: Int,
             done: @escaping @Sendable (Result<Response, Failure>) -> Void) {
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        request.timeoutInterval = seconds
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.setValue("*/*", forHTTPHeaderField: "Accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let task = session.dataTask(with: request)
        let identifier = task.taskIdentifier
        transfers.withLock { $0[identifier] = Transfer(maxBytes: maxBytes, done: done) }
        // The deadline covers the whole transfer, not only the silence between packets.
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [weak task] in
            guard let task, task.state == .running else { return }
            self.transfers.withLock { $0[identifier]?.failure = .timedOut(seconds: seconds) }
            task.cancel()
        }
        task.resume()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        let tooLarge = transfers.withLock { transfers -> Bool in
            transfers[dataTask.taskIdentifier]?.response = http
            guard let limit = transfers[dataTask.taskIdentifier]?.maxBytes, response.expectedContentLength > Int64(limit) else {
                return false
            }
            transfers[dataTask.taskIdentifier]?.failure = .tooLarge(limit: limit)
            return true
        }
        completionHandler(tooLarge ? .cancel : .allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let cut = transfers.withLock { transfers -> Bool in
            guard var transfer = transfers[dataTask.taskIdentifier], transfer.failure == nil else { return false }
            if transfer.body.count + data.count > transfer.maxBytes {
                transfer.failure = .tooLarge(limit: transfer.maxBytes)
                transfers[dataTask.taskIdentifier] = transfer
                return true
            }
            transfer.body.append(data)
            transfers[dataTask.taskIdentifier] = transfer
            return false
        }
        if cut { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        // The 3xx response itself is the result; the caller decides whether and when to follow it.
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        let result: Result<Response, Failure>
        if let failure = transfer.failure {
            result = .failure(failure)
        } else if let error {
            result = .failure(.transport(Self.describe(error)))
        } else if let response = transfer.response {
            var headers: [String: String] = [:]
            for (key, value) in response.allHeaderFields {
                if let key = key as? String, let value = value as? String { headers[key] = value }
            }
            result = .success(Response(
                status: response.statusCode, headers: headers, body: transfer.body,
                url: response.url ?? task.originalRequest?.url ?? URL(fileURLWithPath: "/")))
        } else {
            result = .failure(.transport("no HTTP response"))
        }
        transfer.done?(result)
    }

    private static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSURLErrorDomain, nsError.code == NSURLErrorTimedOut { return "timed out" }
        return nsError.localizedDescription
    }
}

import Foundation
import Logging
import Metrics
import NewsModel
import Synchronization

/// Polls RSS and Atom feeds and fetches the pages of their new items, on a thread of its own, handing
/// finished articles to the fetcher loop.
///
/// - **Politeness:** one request in flight per host, at least `host_delay_ms` between two requests to it,
///   at most `concurrency` hosts at once. Feed polls and page fetches share these rules.
/// - **Conditional GET:** each feed's ETag and Last-Modified are sent back; a 304 costs nothing.
/// - **Failures back off:** the interval doubles with each failure in a row, up to `max_backoff_s`; 429 and
///   503 wait at least their `Retry-After`. Redirects are followed by hand, each hop a request of its own,
///   at most `max_redirects`.
/// - **Exactly once across restarts:** an item is remembered (`state/feeds/seen`, fsynced) only once its
///   article is in the journal, whose recovery delivers it from there on. A feed's validators are saved
///   only when none of its items are still on their way, so a restart never answers "not modified" for
///   items that were not yet journaled. Articles get an id from their feed and item, so the sink drops a
///   duplicate even if a crash came between the two writes. Items are remembered for
///   `fetcher.feeds.remember_days` after the last feed that listed them stopped listing them
///   (``SeenItems``), so the state does not grow forever.
/// - **One article, one fetch:** an item whose link another feed already listed (a top-stories feed beside
///   a section feed) is neither fetched nor published again.
/// - **Pages that cannot be had** (not found, too large, failing after retries) are still published, with
///   the item's own text and a dead-letter reason, so every item ends in `out/` or `dead-letter/`.
final class FeedSource: @unchecked Sendable {
    /// An article ready for the journal (its `seq` is the loop's to give).
    typealias Ready = RawArticle

    private let settings: FeedSettings
    private let logger: Logger
    private let client: HTTPClient
    private let stateFolder: URL
    private let clock = ContinuousClock()

    // Shared with the fetcher loop and the HTTP callbacks.
    private let shared = Mutex(Shared())
    private let wake = NSCondition()

    private struct Shared {
        var ready: [Ready] = []
        var journaled: [String] = []
        var completions: [(Request, Result<HTTPClient.Response, HTTPClient.Failure>)] = []
        var stopping = false
        /// Draining: no new polls or page fetches; what is already on its way still completes.
        var quiescing = false
        var idle = false
    }

    // Owned by the source's thread.
    private var feeds: [FeedState]
    private var hosts: [String: HostState] = [:]
    private var jobs: [PageJob] = []
    private var seen: SeenItems
    /// Items on their way to the journal: article id -> its feed and the key of its link.
    private var pending: [String: (feed: Int, link: String?)] = [:]
    /// Keys of the links of pending items: the same article listed by two feeds is fetched once.
    private var pendingLinks: Set<String> = []
    private var inFlight = 0
    private var validators: [String: Validators] = [:]

    private struct FeedState {
        var feed: FeedSettings.Feed
        var nextPoll: ContinuousClock.Instant
        var polling = false
        var polledOnce = false
        var failures = 0
        var current: Validators
        /// Validators of the last 200 whose items are not all journaled yet.
        var unsaved: Validators?
        var pendingItems = 0
        /// The next hop of a redirect being followed, waiting its turn at its host.
        var redirect: (url: URL, hops: Int)?
    }

    struct Validators: Codable, Equatable, Sendable {
        var etag: String?
        var lastModified: String?
    }

    private struct HostState {
        var busy = false
        var nextAllowed: ContinuousClock.Instant
    }

    private struct PageJob {
        var feed: Int
        var id: String
        var item: FeedItem
        var url: URL
        var hops = 0
        var attempts = 0
        var notBefore: ContinuousClock.Instant
    }

    private enum Request {
        case feed(Int, URL, hops: Int)
        case page(PageJob)

        var url: URL {
            switch self {
            case .feed(_, let url, _): url
            case .page(let job): job.url
            }
        }
    }

    /// The most articles waiting for the loop; page fetches pause beyond it.
    private let readyLimit = 64

    init(settings: FeedSettings, stateFolder: URL, logger: Logger) throws {
        self.settings = settings
        self.logger = logger
        self.client = HTTPClient(userAgent: settings.userAgent)
        self.stateFolder = stateFolder.appendingPathComponent("feeds")
        try FileManager.default.createDirectory(at: self.stateFolder, withIntermediateDirectories: true)
        let now = ContinuousClock.now
        self.feeds = settings.feeds.map {
            FeedState(feed: $0, nextPoll: now, current: Validators())
        }
        seen = try SeenItems(folder: self.stateFolder, rememberDays: settings.rememberDays, logger: logger)
        try loadState()
        for index in feeds.indices {
            feeds[index].current = validators[feeds[index].feed.url.absoluteString] ?? Validators()
        }
    }

    /// The id of a feed's item: stable across polls and restarts, whatever its page holds that day.
    static func articleID(feed: URL, identity: String) -> String {
        ArticleID(contentOf: Array("feed\n\(feed.absoluteString)\n\(identity)".utf8)).description
    }

    /// The key of an item's link, for telling the same article in two feeds apart: scheme and host
    /// lowercased, the fragment dropped. Stored in `seen` beside item ids (both are 16 hex digits).
    static func linkKey(_ link: String) -> String? {
        guard var parts = URLComponents(string: link), let host = parts.host, !host.isEmpty else { return nil }
        parts.scheme = parts.scheme?.lowercased()
        parts.host = host.lowercased()
        parts.fragment = nil
        guard let normalized = parts.string else { return nil }
        return ArticleID(contentOf: Array("link\n\(normalized)".utf8)).description
    }

    // MARK: The fetcher loop's side

    /// Ids the journal already holds (recovered at start): never fetched again.
    func alreadyJournaled(_ ids: [String]) {
        seen.remember(ids)
    }

    /// Starts polling.
    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "newsflow-feeds"
        thread.start()
    }

    /// Up to `limit` articles ready for the journal.
    func take(limit: Int) -> [Ready] {
        guard limit > 0 else { return [] }
        let taken = shared.withLock { shared -> [Ready] in
            let count = min(limit, shared.ready.count)
            let taken = Array(shared.ready.prefix(count))
            shared.ready.removeFirst(count)
            return taken
        }
        if !taken.isEmpty { signal() }
        return taken
    }

    /// These articles are durably in the journal: their items are done.
    func journaled(_ ids: [String]) {
        guard !ids.isEmpty else { return }
        shared.withLock { $0.journaled += ids }
        signal()
    }

    /// Every feed polled at least once and nothing on its way (for `exit_when_drained`).
    var isIdle: Bool { shared.withLock { $0.idle } }

    func stop() {
        shared.withLock { $0.stopping = true }
        signal()
    }

    /// The fetcher drains: start nothing new, finish what is on its way (its articles are journaled and
    /// marked seen, so a restart does not fetch their pages again).
    func quiesce() {
        shared.withLock { $0.quiescing = true }
        signal()
    }

    private func signal() {
        wake.lock()
        wake.signal()
        wake.unlock()
    }

    // MARK: The source's thread

    private func run() {
        logger.info("feed source started", metadata: ["feeds": "\(feeds.count)"])
        while true {
            let (completions, journaledIDs, stopping, quiescing, readyCount) = shared.withLock { shared in
                defer {
                    shared.completions.removeAll()
                    shared.journaled.removeAll()
                }
                return (shared.completions, shared.journaled, shared.stopping, shared.quiescing, shared.ready.count)
            }
            // Items journaled before the stop are recorded as seen first, or a restart would fetch them again.
            if !journaledIDs.isEmpty { markJournaled(journaledIDs) }
            if stopping { break }
            for (request, result) in completions { complete(request, result) }
            let now = clock.now
            if !quiescing { startDue(now: now, roomForPages: readyCount < readyLimit) }
            let idle = inFlight == 0 && jobs.isEmpty && pending.isEmpty && feeds.allSatisfy(\.polledOnce) && readyCount == 0
            shared.withLock { $0.idle = idle }
            wait(until: nextWake(now: now))
        }
        client.shutdown()
        seen.close()
        logger.info("feed source stopped")
    }

    private func wait(until deadline: ContinuousClock.Instant) {
        let interval = clock.now.duration(to: deadline)
        let seconds = max(0.001, min(1, Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18))
        wake.lock()
        let hasWork = shared.withLock { !$0.completions.isEmpty || !$0.journaled.isEmpty || $0.stopping }
        if !hasWork { _ = wake.wait(until: Date(timeIntervalSinceNow: seconds)) }
        wake.unlock()
    }

    private func nextWake(now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        var next = now + .seconds(1)
        for feed in feeds where !feed.polling {
            let url = feed.redirect?.url ?? feed.feed.url
            next = min(next, max(feed.nextPoll, hosts[Self.hostKey(url)]?.nextAllowed ?? now))
        }
        for job in jobs.prefix(16) { next = min(next, max(job.notBefore, hosts[Self.hostKey(job.url)]?.nextAllowed ?? now)) }
        return max(next, now + .milliseconds(1))
    }

    private static func hostKey(_ url: URL) -> String {
        "\(url.host?.lowercased() ?? ""):\(url.port ?? (url.scheme == "https" ? 443 : 80))"
    }

    private func hostFree(_ url: URL, now: ContinuousClock.Instant) -> Bool {
        guard inFlight < settings.concurrency else { return false }
        guard let host = hosts[Self.hostKey(url)] else { return true }
        return !host.busy && now >= host.nextAllowed
    }

    private func startDue(now: ContinuousClock.Instant, roomForPages: Bool) {
        for index in feeds.indices where !feeds[index].polling && now >= feeds[index].nextPoll {
            let (url, hops) = feeds[index].redirect ?? (feeds[index].feed.url, 0)
            guard hostFree(url, now: now) else { continue }
            feeds[index].polling = true
            feeds[index].redirect = nil
            send(.feed(index, url, hops: hops))
        }
        guard roomForPages else { return }
        var index = 0
        while index < jobs.count, inFlight < settings.concurrency {
            let job = jobs[index]
            if now >= job.notBefore, hostFree(job.url, now: now) {
                jobs.remove(at: index)
                send(.page(job))
            } else {
                index += 1
            }
        }
    }

    private func send(_ request: Request) {
        let key = Self.hostKey(request.url)
        hosts[key, default: HostState(nextAllowed: clock.now)].busy = true
        inFlight += 1
        var headers: [String: String] = [:]
        if case .feed(let index, _, let hops) = request, hops == 0 {
            if let etag = feeds[index].current.etag { headers["If-None-Match"] = etag }
            if let modified = feeds[index].current.lastModified { headers["If-Modified-Since"] = modified }
        }
        Counter(label: "newsflow_feed_requests_total", dimensions: [("kind", Self.kind(request))]).increment()
        client.get(request.url, headers: headers, timeout: settings.timeout, maxBytes: settings.maxBodyBytes) { [self] result in
            shared.withLock { $0.completions.append((request, result)) }
            signal()
        }
    }

    private static func kind(_ request: Request) -> String {
        if case .feed = request { return "feed" }
        return "page"
    }

    private func complete(_ request: Request, _ result: Result<HTTPClient.Response, HTTPClient.Failure>) {
        let now = clock.now
        inFlight -= 1
        let key = Self.hostKey(request.url)
        hosts[key] = HostState(busy: false, nextAllowed: now + settings.hostDelay)
        let outcome: String
        switch result {
        case .success(let response): outcome = "\(response.status)"
        case .failure(.timedOut): outcome = "timeout"
        case .failure(.tooLarge): outcome = "too_large"
        case .failure: outcome = "error"
        }
        Counter(label: "newsflow_feed_responses_total", dimensions: [("kind", Self.kind(request)), ("outcome", outcome)]).increment()
        switch request {
        case .feed(let index, let url, let hops): feedDone(index, url: url, hops: hops, result, now: now)
        case .page(let job): pageDone(job, result, now: now)
        }
    }

    // MARK: Feeds

    private func feedDone(_ index: Int, url: URL, hops: Int, _ result: Result<HTTPClient.Response, HTTPClient.Failure>,
                          now: ContinuousClock.Instant) {
        let feedURL = feeds[index].feed.url
        let response: HTTPClient.Response
        switch result {
        case .failure(let failure):
            feedFailed(index, url: url, "\(failure)", now: now)
            return
        case .success(let value):
            response = value
        }
        switch response.status {
        case 200:
            let items: [FeedItem]
            do {
                items = try FeedDocument.items(of: response.body, base: response.url)
            } catch {
                feedFailed(index, url: url, "\(error)", now: now)
                return
            }
            feeds[index].failures = 0
            feeds[index].polling = false
            feeds[index].polledOnce = true
            feeds[index].nextPoll = now + .seconds(feeds[index].feed.interval)
            let fresh = Validators(etag: response.header("ETag"), lastModified: response.header("Last-Modified"))
            var added = 0
            for item in items {
                guard let identity = item.identity else { continue }
                let id = Self.articleID(feed: feedURL, identity: identity)
                let link = item.link.flatMap(Self.linkKey)
                guard !seen.contains(id), pending[id] == nil else { continue }
                // Listed by another feed too (a section feed and a top-stories feed): already had or on its way.
                if let link, seen.contains(link) || pendingLinks.contains(link) { continue }
                pending[id] = (index, link)
                if let link { pendingLinks.insert(link) }
                feeds[index].pendingItems += 1
                added += 1
                if feeds[index].feed.useItemContent {
                    publish(itemArticle(item, id: id, feed: index, reason: nil))
                } else if let link = item.link, let page = URL(string: link), ["http", "https"].contains(page.scheme?.lowercased() ?? "") {
                    jobs.append(PageJob(feed: index, id: id, item: item, url: page, notBefore: now))
                } else {
                    publish(itemArticle(item, id: id, feed: index, reason: "feed item has no http(s) link to fetch: \(item.link ?? "none")"))
                }
            }
            feeds[index].current = fresh
            if feeds[index].pendingItems == 0 {
                saveValidators(feedURL, fresh)
            } else {
                feeds[index].unsaved = fresh
            }
            logger.debug("feed polled", metadata: ["url": "\(url)", "items": "\(items.count)", "new": "\(added)"])
        case 304:
            feeds[index].failures = 0
            feeds[index].polling = false
            feeds[index].polledOnce = true
            feeds[index].nextPoll = now + .seconds(feeds[index].feed.interval)
            logger.debug("feed not modified", metadata: ["url": "\(url)"])
        case 301, 302, 303, 307, 308:
            guard let target = redirectTarget(response, from: url) else {
                feedFailed(index, url: url, "redirect \(response.status) without a usable Location", now: now)
                return
            }
            guard hops < settings.maxRedirects else {
                feedFailed(index, url: url, "more than \(settings.maxRedirects) redirects (fetcher.feeds.max_redirects); last to \(target)", now: now)
                return
            }
            // The next hop waits its turn at its host like any request.
            feeds[index].polling = false
            feeds[index].redirect = (target, hops + 1)
            feeds[index].nextPoll = now
        case 429, 503:
            let wait = Self.retryAfter(response, now: Date())
            feedFailed(index, url: url, "HTTP \(response.status)\(wait.map { "; Retry-After \($0) s" } ?? "")", now: now, retryAfter: wait)
        default:
            feedFailed(index, url: url, "HTTP \(response.status)", now: now)
        }
    }

    private func feedFailed(_ index: Int, url: URL, _ reason: String, now: ContinuousClock.Instant, retryAfter: Double? = nil) {
        feeds[index].failures += 1
        feeds[index].polling = false
        feeds[index].polledOnce = true
        let interval = feeds[index].feed.interval
        var delay = min(Self.seconds(settings.maxBackoff), interval * pow(2, Double(min(feeds[index].failures, 20))))
        if let retryAfter { delay = max(retryAfter, interval) }
        feeds[index].nextPoll = now + .milliseconds(Int(delay * 1000))
        logger.warning("feed fetch failed", metadata: [
            "url": "\(url)", "feed": "\(feeds[index].feed.url)", "error": "\(reason)",
            "failures": "\(feeds[index].failures)", "retry_in_s": "\(delay)",
        ])
    }

    // MARK: Pages

    private func pageDone(_ original: PageJob, _ result: Result<HTTPClient.Response, HTTPClient.Failure>, now: ContinuousClock.Instant) {
        var job = original
        switch result {
        case .failure(.tooLarge(let limit)):
            give(up: job, "page \(job.url) is larger than \(limit) bytes (limits.max_article_bytes)")
        case .failure(let failure):
            retry(&job, "\(failure)", now: now)
        case .success(let response):
            switch response.status {
            case 200:
                publish(pageArticle(job, response))
            case 301, 302, 303, 307, 308:
                guard let target = redirectTarget(response, from: job.url) else {
                    give(up: job, "page \(job.url): redirect \(response.status) without a usable Location")
                    return
                }
                guard job.hops < settings.maxRedirects else {
                    give(up: job, "page \(job.url): more than \(settings.maxRedirects) redirects (fetcher.feeds.max_redirects)")
                    return
                }
                job.url = target
                job.hops += 1
                job.notBefore = now
                jobs.insert(job, at: 0)
            case 408, 425, 429, 500...599:
                let wait = Self.retryAfter(response, now: Date())
                retry(&job, "HTTP \(response.status)", now: now, after: wait)
            default:
                give(up: job, "page \(job.url): HTTP \(response.status)")
            }
        }
    }

    private func retry(_ job: inout PageJob, _ reason: String, now: ContinuousClock.Instant, after: Double? = nil) {
        job.attempts += 1
        guard job.attempts < 3 else {
            give(up: job, "page \(job.url): \(reason), \(job.attempts) attempts")
            return
        }
        let delay = max(after ?? 0, pow(2, Double(job.attempts)) * Self.seconds(settings.hostDelay) + 1)
        job.notBefore = now + .milliseconds(Int(delay * 1000))
        logger.warning("page fetch failed; will retry", metadata: [
            "url": "\(job.url)", "error": "\(reason)", "attempt": "\(job.attempts)", "retry_in_s": "\(delay)",
        ])
        jobs.append(job)
    }

    private func give(up job: PageJob, _ reason: String) {
        logger.warning("page fetch failed; the item goes to dead-letter", metadata: ["url": "\(job.url)", "error": "\(reason)"])
        publish(itemArticle(job.item, id: job.id, feed: job.feed, reason: reason))
    }

    private func source(_ uri: String, feed: Int, item: FeedItem) -> SourceRef {
        let settings = feeds[feed].feed
        return SourceRef(kind: "feed", uri: uri, feed: settings.url.absoluteString, feedName: settings.name,
                         tags: settings.tags.isEmpty ? nil : settings.tags, published: item.published)
    }

    private func pageArticle(_ job: PageJob, _ response: HTTPClient.Response) -> Ready {
        let body = Charset.utf8(response.body, contentType: response.header("Content-Type"))
        return RawArticle(
            id: job.id, seq: 0, source: source(response.url.absoluteString, feed: job.feed, item: job.item), fetchedAt: Timestamp.now(),
            name: "page.html", body: body)
    }

    /// An article made of the item itself: its content as a small HTML page, or, with a `reason`, what the
    /// item says about the article that could not be had.
    private func itemArticle(_ item: FeedItem, id: String, feed: Int, reason: String?) -> Ready {
        var html = "<!doctype html><html><head>"
        if let title = item.title { html += "<title>\(Self.escape(title))</title>" }
        if let published = item.published { html += "<meta name=\"date\" content=\"\(Self.escape(published))\">" }
        if let link = item.link { html += "<link rel=\"canonical\" href=\"\(Self.escape(link))\">" }
        for author in item.authors { html += "<meta name=\"author\" content=\"\(Self.escape(author))\">" }
        html += "</head><body><article>"
        if let title = item.title { html += "<h1>\(Self.escape(title))</h1>" }
        html += item.content ?? ""
        html += "</article></body></html>"
        return RawArticle(
            id: id, seq: 0, source: source(item.link ?? feeds[feed].feed.url.absoluteString, feed: feed, item: item),
            fetchedAt: Timestamp.now(), name: "item.html", body: Array(html.utf8), deadLetterReason: reason)
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func publish(_ article: Ready) {
        shared.withLock { $0.ready.append(article) }
    }

    // MARK: State

    private func markJournaled(_ ids: [String]) {
        var recorded: [String] = []
        for id in ids {
            guard let (feed, link) = pending.removeValue(forKey: id) else { continue }
            recorded.append(id)
            if let link {
                pendingLinks.remove(link)
                recorded.append(link)
            }
            feeds[feed].pendingItems -= 1
            if feeds[feed].pendingItems == 0, let unsaved = feeds[feed].unsaved {
                feeds[feed].unsaved = nil
                saveValidators(feeds[feed].feed.url, unsaved)
            }
        }
        seen.record(recorded)
    }

    private var validatorsURL: URL { stateFolder.appendingPathComponent("validators.json") }

    private func loadState() throws {
        if let data = try? Data(contentsOf: validatorsURL),
           let saved = try? JSONDecoder().decode([String: Validators].self, from: data)
        {
            validators = saved
        }
    }

    private func saveValidators(_ feed: URL, _ fresh: Validators) {
        guard validators[feed.absoluteString] != fresh else { return }
        validators[feed.absoluteString] = fresh
        do {
            let temporary = validatorsURL.appendingPathExtension("tmp")
            try JSONEncoder().encode(validators).write(to: temporary)
            _ = try FileManager.default.replaceItemAt(validatorsURL, withItemAt: temporary)
        } catch {
            logger.warning("cannot save feed validators; the next start polls unconditionally", metadata: ["error": "\(error)"])
        }
    }

    // MARK: HTTP details

    private func redirectTarget(_ response: HTTPClient.Response, from url: URL) -> URL? {
        guard let location = response.header("Location"), let target = URL(string: location, relativeTo: url)?.absoluteURL,
              ["http", "https"].contains(target.scheme?.lowercased() ?? "")
        else { return nil }
        return target
    }

    /// `Retry-After` as seconds from now: a number of seconds or an HTTP date.
    static func retryAfter(_ response: HTTPClient.Response, now: Date) -> Double? {
        guard let value = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, min(seconds, 86_400)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, min(date.timeIntervalSince(now), 86_400))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

import NewsModel

/// Raw bytes in, record out: decoding, format detection, layout, normalization and enrichment. Pure:
/// no I/O, no sockets, no clocks besides the elapsed-time measurement; safe to call from any thread.
public struct ArticleParser: Sendable {
    /// The parser version written into every record (`parser.version`).
    public static let version = "0.2.0"

    /// Bounds on what one article may cost; input that would pass them is cut off or refused.
    public struct Limits: Sendable, Equatable {
        /// Deepest `[`/`{` nesting accepted in JSON input (`limits.max_json_depth`).
        public var maxJSONDepth: Int
        /// Most entities kept in one record, the most mentioned first (`limits.max_entities`).
        public var maxEntities: Int
        /// Time one article may take (`limits.parse_budget_ms`); `nil` for none. An article over it is a
        /// failure with code `time_budget`.
        public var timeBudget: Duration?

        /// Creates limits; the defaults are the configuration's.
        public init(maxJSONDepth: Int = 64, maxEntities: Int = 300, timeBudget: Duration? = .seconds(1)) {
            self.maxJSONDepth = maxJSONDepth
            self.maxEntities = maxEntities
            self.timeBudget = timeBudget
        }
    }

    /// The limits this parser applies.
    public let limits: Limits
    /// The learned entity model's tagger; nil: rules alone find entities.
    let tagger: NERTagger?

    /// Creates a parser whose entities come from rules alone.
    public init(limits: Limits = Limits()) {
        self.limits = limits
        self.tagger = nil
    }

    /// Creates a parser whose entities come from `entityModel`, refined by rules.
    package init(limits: Limits = Limits(), entityModel: NERModel?) {
        self.limits = limits
        self.tagger = entityModel.map { NERTagger(model: $0) }
    }

    /// Parses one raw article into a record, or says why it cannot.
    public func parse(_ raw: RawArticle, worker: String) -> Result<Article, ParseFailure> {
        let clock = ContinuousClock()
        let started = clock.now
        let budget = Budget(limit: limits.timeBudget, started: started, size: raw.body.count)
        let decoded: TextDecoding.Decoded
        switch TextDecoding.decode(raw.body) {
        case .success(let value): decoded = value
        case .failure(let failure): return .failure(failure)
        }
        var warnings = decoded.warnings
        var document: Document
        switch documentOf(decoded.text, name: raw.name) {
        case .success(let value): document = value
        case .failure(let failure): return .failure(failure)
        }
        document.date(by: raw.source, name: raw.name, fetchedAt: raw.fetchedAt)
        warnings += document.warnings
        guard document.title != nil || !document.paragraphs.isEmpty else {
            return .failure(ParseFailure(.noContent, "no readable text remained after cleaning"))
        }
        let enrichment: Enrichment
        do {
            try budget.check("layout")
            enrichment = try Enrichment(document: document, maxEntities: limits.maxEntities, budget: budget, tagger: tagger)
        } catch {
            return .failure(error)
        }
        if enrichment.entitiesDropped > 0 {
            warnings.append("\(enrichment.entitiesDropped) less mentioned entities not kept (limits.max_entities \(limits.maxEntities))")
        }
        let elapsed = clock.now - started
        let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
        return .success(Article(
            id: raw.id, seq: raw.seq, source: raw.source, fetchedAt: raw.fetchedAt, published: document.published,
            publishedSource: document.publishedSource,
            title: document.title, authors: document.authors.isEmpty ? nil : document.authors, url: document.url,
            dateline: document.dateline, body: enrichment.body, paragraphs: document.paragraphs,
            language: enrichment.language ?? document.declaredLanguage, stats: enrichment.stats, entities: enrichment.entities,
            countries: enrichment.countries, keywords: enrichment.keywords, summary: enrichment.summary,
            quotes: enrichment.quotes, simhash: Hex.format(enrichment.simhash), minhash: enrichment.minhash?.text,
            parser: ParserInfo(
                version: Self.version, worker: worker, elapsedMicroseconds: micros,
                nerModel: tagger.map { ModelInfo(name: $0.model.name, hash: $0.model.hash) }),
            warnings: warnings.isEmpty ? nil : warnings))
    }

    /// Title, date, dateline and paragraphs of a decoded article, whatever its format.
    func documentOf(_ text: String, name: String?) -> Result<Document, ParseFailure> {
        switch RawFormat.detect(text, name: name) {
        case .json:
            switch JSONArticle.parse(text, maxDepth: limits.maxJSONDepth) {
            case .success(let json):
                let layout = TextLayout(text: json.text, hasTitle: json.title != nil)
                var document = Document(
                    title: json.title ?? layout.title, published: json.published ?? layout.published,
                    from: json.published != nil ? "page" : "text",
                    datelineParts: layout.dateline, paragraphs: layout.paragraphs, warnings: [])
                document.authors = json.authors.map { TextCleaner.clean($0) }.filter { !$0.isEmpty }
                return .success(document)
            case .failure(let failure) where failure.reason.hasPrefix("not valid JSON"):
                let layout = TextLayout(text: text, hasTitle: false)
                return .success(Document(layout, warnings: ["looked like JSON but is not valid JSON; read as text"]))
            case .failure(let failure):
                return .failure(failure)
            }
        case .html:
            let page = HTMLPage(html: text)
            var paragraphs = page.paragraphs
            var dateline: DatelineParser.DatelineParts? = nil
            if let first = paragraphs.first, let lede = DatelineParser.lede(first) {
                dateline = lede.dateline
                let rest = String(lede.rest ?? "")
                if rest.isEmpty { paragraphs.removeFirst() } else { paragraphs[0] = rest }
            }
            var document = Document(
                title: page.metadata.title, published: page.metadata.published, from: "page", datelineParts: dateline,
                paragraphs: paragraphs, warnings: [])
            document.authors = page.metadata.authors
            document.url = page.metadata.canonicalURL
            document.declaredLanguage = page.metadata.language
            return .success(document)
        case .text:
            return .success(Document(TextLayout(text: text, hasTitle: false), warnings: []))
        }
    }
}

/// The time an article may still take. Checked between stages, each of which is linear in the article's
/// length, so an article over budget is cut off within one stage's time of its limit.
struct Budget {
    let deadline: ContinuousClock.Instant?
    let limit: Duration?
    let size: Int

    init(limit: Duration?, started: ContinuousClock.Instant, size: Int) {
        self.limit = limit
        self.deadline = limit.map { started + $0 }
        self.size = size
    }

    /// Throws `time_budget` once the deadline has passed; `stage` is the one about to start.
    func check(_ stage: StaticString) throws(ParseFailure) {
        guard let deadline, let limit, ContinuousClock.now > deadline else { return }
        let milliseconds = limit.components.seconds * 1000 + limit.components.attoseconds / 1_000_000_000_000_000
        throw ParseFailure(.timeBudget, "parse time budget of \(milliseconds) ms used up before \(stage) (article of \(size) bytes; limits.parse_budget_ms)")
    }
}

/// The structural fields of an article, before enrichment.
struct Document {
    var title: String?
    var published: String?
    /// Where `published` came from (``Article/publishedSource``).
    var publishedSource: String?
    var dateline: Dateline?
    var paragraphs: [String]
    var warnings: [String]
    /// Authors the source names (HTML metadata and bylines, JSON `authors`).
    var authors: [String] = []
    /// The page's canonical URL.
    var url: String?
    /// The language the page declares (`<html lang>`, JSON-LD `inLanguage`), used when the text cannot tell.
    var declaredLanguage: String?

    /// `published` came `from` the article's text or its page's metadata.
    init(title: String?, published: String?, from: String, datelineParts: DatelineParser.DatelineParts?,
         paragraphs: [String], warnings: [String]) {
        self.title = title
        self.paragraphs = paragraphs
        self.warnings = warnings
        var published = published
        publishedSource = published == nil ? nil : from
        if let parts = datelineParts {
            let year = parts.year ?? published.flatMap { DateText.parseISO($0)?.year }
            var date: String? = nil
            if let month = parts.month, let day = parts.day, let year {
                date = DateText.iso(year: year, month: month, day: day)
            }
            if published == nil, parts.year != nil, date != nil {
                published = date
                publishedSource = "text"
            }
            self.dateline = Self.dateline(parts, date: date)
        }
        self.published = published
    }

    init(_ layout: TextLayout, warnings: [String]) {
        self.init(title: layout.title, published: layout.published, from: "text", datelineParts: layout.dateline,
                  paragraphs: layout.paragraphs, warnings: warnings)
    }

    /// The sources whose fetch time is the time of the news: feeds, the drop folder, producers (`zmq`); for
    /// a replay, the source it was first fetched from (its `fetched_at` is kept). Not `newsflow parse`'s
    /// files, whose age nothing tells.
    private static let liveKinds: Set<Substring> = ["feed", "dir", "zmq"]

    /// Dates an article by where it came from, once its text is read: a feed item's metadata is the feed's,
    /// and so is the date of a page that has none; a dateline without a year (`NEW YORK, March 30`) of a
    /// live source takes the year that puts it within the 7 days before the fetch, when one does.
    mutating func date(by source: SourceRef, name: String?, fetchedAt: String) {
        if publishedSource == "page", source.kind == "feed", name == "item.html" { publishedSource = "feed" }
        let kind = source.kind == "replay" ? source.uri.prefix(while: { $0 != ":" }) : Substring(source.kind)
        // A page that gives no date of its own takes its feed item's.
        if published == nil, kind == "feed", let date = source.published.flatMap(DateText.normalize) {
            published = date
            publishedSource = "feed"
        }
        guard published == nil, var dateline, dateline.date == nil, let month = dateline.month, let day = dateline.day,
              Self.liveKinds.contains(kind), let fetched = DateText.parseISO(fetchedAt)
        else { return }
        let fetchDay = CivilDate.days(year: Int64(fetched.year), month: Int64(fetched.month), day: Int64(fetched.day))
        for year in [fetched.year, fetched.year - 1] {
            guard let date = DateText.iso(year: year, month: month, day: day) else { continue }
            let before = fetchDay - CivilDate.days(year: Int64(year), month: Int64(month), day: Int64(day))
            guard (0...7).contains(before) else { continue }
            dateline.date = date
            self.dateline = dateline
            published = date
            publishedSource = "dateline+fetch"
            return
        }
    }

    private static func dateline(_ parts: DatelineParser.DatelineParts, date: String?) -> Dateline {
        let places = parts.places.map(Self.displayCase)
        let city = places.first
        let country = places.count >= 2 ? places.last : nil
        var code: String? = nil
        if let country {
            code = Gazetteer.countryCode(forPlace: country)
        } else if let city {
            code = Gazetteer.countryCode(forName: city)
        }
        let region = country.flatMap { Gazetteer.region($0) }
        return Dateline(text: parts.text, city: city, country: region?.name ?? country, countryCode: code, date: date,
                        month: parts.month, day: parts.day)
    }

    /// `PORTLAND` becomes `Portland`; mixed-case names and abbreviations with periods stay as written.
    private static func displayCase(_ place: String) -> String {
        // All lower case (`des moines`): each word capitalized.
        if place == place.lowercased(), place.contains(where: \.isLetter) {
            return place.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        guard place == place.uppercased(), place.count > 3, !place.utf8.contains(UInt8(ascii: ".")) else { return place }
        return place.lowercased().split(separator: " ").map { word in
            word.split(separator: "-", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }
                .joined(separator: "-")
        }.joined(separator: " ")
    }
}

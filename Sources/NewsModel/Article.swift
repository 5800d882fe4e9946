/// The output record: one per article, one JSON object per line in `out/`. Published as JSON Schema in
/// `schema/article.schema.json`. Optional fields are left out when nothing was found.
public struct Article: Codable, Sendable, Equatable {
    /// Stable content id (dedupe key).
    public var id: String
    /// The fetcher's sequence number.
    public var seq: UInt64
    /// Where the raw article came from.
    public var source: SourceRef
    /// When the fetcher took it (RFC 3339, UTC).
    public var fetchedAt: String
    /// Publication date found in the article (ISO 8601 date or date-time).
    public var published: String?
    /// Where `published` came from: `text` (the article's own text, its dateline's year included), `page`
    /// (the page's or JSON article's metadata), `feed` (the feed item) or `dateline+fetch` (a dateline
    /// without a year, dated by the fetch of a live source within the 7 days after it).
    public var publishedSource: String?
    /// The headline.
    public var title: String?
    /// Authors named by the source (page metadata, bylines, JSON `authors`).
    public var authors: [String]?
    /// The page's canonical URL, when it states one.
    public var url: String?
    /// The dateline, when the article has one.
    public var dateline: Dateline?
    /// Normalized body text: NFC, single spaces, paragraphs joined by a blank line.
    public var body: String
    /// The body's paragraphs.
    public var paragraphs: [String]
    /// ISO 639-1 code of the body's language, when it could be told.
    public var language: String?
    /// Counts over the body.
    public var stats: ArticleStats
    /// Named entities (filled by the enrichment stage).
    public var entities: Entities?
    /// ISO 3166-1 alpha-2 codes of the countries mentioned.
    public var countries: [String]?
    /// Ranked keywords.
    public var keywords: [String]
    /// Lead sentences.
    public var summary: String
    /// Attributed statements.
    public var quotes: [Quote]?
    /// 64-bit near-duplicate fingerprint as 16 hex digits.
    public var simhash: String
    /// Near-duplicate sketch (``MinHashSketch``, `1:` and 128 hex digits); left out when there are no words.
    public var minhash: String?
    /// The id of an earlier article this one nearly duplicates (set by the sink).
    public var duplicateOf: String?
    /// What made this record.
    public var parser: ParserInfo
    /// Things the parser had to repair, e.g. `decoded as windows-1252`.
    public var warnings: [String]?

    /// Creates a record.
    public init(
        id: String, seq: UInt64, source: SourceRef, fetchedAt: String, published: String? = nil, publishedSource: String? = nil,
        title: String? = nil, authors: [String]? = nil, url: String? = nil, dateline: Dateline? = nil, body: String, paragraphs: [String],
        language: String? = nil, stats: ArticleStats, entities: Entities? = nil, countries: [String]? = nil,
        keywords: [String], summary: String, quotes: [Quote]? = nil, simhash: String, minhash: String? = nil, duplicateOf: String? = nil,
        parser: ParserInfo, warnings: [String]? = nil
    ) {
        self.id = id
        self.seq = seq
        self.source = source
        self.fetchedAt = fetchedAt
        self.published = published
        self.publishedSource = publishedSource
        self.title = title
        self.authors = authors
        self.url = url
        self.dateline = dateline
        self.body = body
        self.paragraphs = paragraphs
        self.language = language
        self.stats = stats
        self.entities = entities
        self.countries = countries
        self.keywords = keywords
        self.summary = summary
        self.quotes = quotes
        self.simhash = simhash
        self.minhash = minhash
        self.duplicateOf = duplicateOf
        self.parser = parser
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case id, seq, source, published, title, authors, url, dateline, body, paragraphs, language, stats, entities
        case countries, keywords, summary, quotes, simhash, minhash, parser, warnings
        case fetchedAt = "fetched_at"
        case publishedSource = "published_source"
        case duplicateOf = "duplicate_of"
    }
}

/// A dateline such as `Baku, Azerbaijan, Sept. 23` or `WASHINGTON, March 3`.
public struct Dateline: Codable, Sendable, Equatable {
    /// The dateline as written.
    public var text: String
    /// The city, as written.
    public var city: String?
    /// The country (or state/region) part, as written.
    public var country: String?
    /// ISO 3166-1 alpha-2 code of the country, when known.
    public var countryCode: String?
    /// The dateline's date as ISO 8601 (`YYYY-MM-DD`), the year taken from the article when it has none.
    public var date: String?
    /// The dateline's month (1-12) and day, as written, also when no year could be known.
    public var month: Int?
    public var day: Int?

    /// Creates a dateline.
    public init(text: String, city: String? = nil, country: String? = nil, countryCode: String? = nil,
                date: String? = nil, month: Int? = nil, day: Int? = nil) {
        self.text = text
        self.city = city
        self.country = country
        self.countryCode = countryCode
        self.date = date
        self.month = month
        self.day = day
    }

    enum CodingKeys: String, CodingKey {
        case text, city, country, date, month, day
        case countryCode = "country_code"
    }
}

/// Counts over the body.
public struct ArticleStats: Codable, Sendable, Equatable {
    /// Words in the body.
    public var words: Int
    /// Sentences in the body.
    public var sentences: Int
    /// Paragraphs in the body.
    public var paragraphs: Int
    /// Estimated reading time in seconds (230 words per minute).
    public var readingTimeSeconds: Int

    /// Creates stats.
    public init(words: Int, sentences: Int, paragraphs: Int, readingTimeSeconds: Int) {
        self.words = words
        self.sentences = sentences
        self.paragraphs = paragraphs
        self.readingTimeSeconds = readingTimeSeconds
    }

    enum CodingKeys: String, CodingKey {
        case words, sentences, paragraphs
        case readingTimeSeconds = "reading_time_s"
    }
}

/// Named entities by kind.
public struct Entities: Codable, Sendable, Equatable {
    /// People.
    public var persons: [Entity]
    /// Organizations.
    public var organizations: [Entity]
    /// Places.
    public var locations: [Entity]

    /// Creates an entity set.
    public init(persons: [Entity] = [], organizations: [Entity] = [], locations: [Entity] = []) {
        self.persons = persons
        self.organizations = organizations
        self.locations = locations
    }
}

/// One named entity with its canonical name and how often it is mentioned.
public struct Entity: Codable, Sendable, Equatable {
    /// Canonical name (the fullest form in the text).
    public var name: String
    /// Number of mentions, all forms folded.
    public var mentions: Int
    /// A role the text gives, e.g. `Foreign Minister`.
    public var role: String?
    /// ISO 3166-1 alpha-2 code, for places and where the text ties the entity to a country.
    public var country: String?
    /// The acronym an organization also goes by in the text (`OECD` for `Organisation for Economic
    /// Cooperation and Development`); its mentions are counted in ``mentions``.
    public var acronym: String?

    /// Creates an entity.
    public init(name: String, mentions: Int, role: String? = nil, country: String? = nil, acronym: String? = nil) {
        self.name = name
        self.mentions = mentions
        self.role = role
        self.country = country
        self.acronym = acronym
    }
}

/// An attributed statement.
public struct Quote: Codable, Sendable, Equatable {
    /// Who said it, as canonical person or organization name.
    public var speaker: String
    /// What was said.
    public var text: String

    /// Creates a quote.
    public init(speaker: String, text: String) {
        self.speaker = speaker
        self.text = text
    }
}

/// Provenance of a record.
public struct ParserInfo: Codable, Sendable, Equatable {
    /// The parser's version.
    public var version: String
    /// The worker instance that parsed it.
    public var worker: String
    /// Parse + enrich time in microseconds.
    public var elapsedMicroseconds: Int
    /// The entity model that found the record's entities; nil when rules alone did.
    public var nerModel: ModelInfo?

    /// Creates parser info.
    public init(version: String, worker: String, elapsedMicroseconds: Int, nerModel: ModelInfo? = nil) {
        self.version = version
        self.worker = worker
        self.elapsedMicroseconds = elapsedMicroseconds
        self.nerModel = nerModel
    }

    enum CodingKeys: String, CodingKey {
        case version, worker
        case elapsedMicroseconds = "elapsed_us"
        case nerModel = "ner_model"
    }
}

/// A learned model's identity in a record: its name and the content hash of its file, so a replayed
/// stream shows which model made which record.
public struct ModelInfo: Codable, Sendable, Equatable {
    /// The model's name (`en-conll2003`).
    public var name: String
    /// 16 hex digits of FNV-1a 64 over the model file's bytes.
    public var hash: String

    /// Creates model info.
    public init(name: String, hash: String) {
        self.name = name
        self.hash = hash
    }
}

/// Closed word lists the entity rules use. Lowercase; matched against `Token.lower`. Built with `Set(_:)`
/// so a word listed twice is harmless (a duplicate in a set literal traps at run time).
enum Lexicon {
    /// Words that make a capitalized phrase an organization when they end it (`Foreign Ministry`,
    /// `Security Council`) or stand in it (`Bank of England`).
    static let organizationWords: Set<String> = Set([
        "ministry", "council", "organization", "organisation", "bank", "party", "company", "corp", "corporation",
        "inc", "ltd", "plc", "llc", "co", "group", "association", "union", "agency", "commission", "university",
        "institute", "federation", "committee", "department", "court", "parliament", "army", "forces", "fund",
        "authority", "office", "service", "services", "board", "assembly", "congress", "senate", "police",
        "airlines", "airways", "exchange", "foundation", "society", "league", "alliance", "coalition", "movement",
        "front", "club", "school", "college", "hospital", "church", "network", "systems", "technologies",
        "holdings", "industries", "motors", "partners", "securities", "capital", "trust", "reserve", "treasury",
        "administration", "cabinet", "government", "navy", "guard", "brigade", "regiment", "command", "secretariat",
        "tribunal", "program", "programme", "mission", "bureau", "center", "centre", "academy", "laboratory",
        "laboratories", "press", "times", "post", "journal", "news", "broadcasting", "television", "radio",
        "telegraph", "chamber", "directorate", "inspectorate", "observatory", "unit", "brotherhood", "communications",
        "energy", "oil", "petroleum", "airport", "railways", "railway", "pharmaceuticals", "bancorp", "bancshares",
        "financial", "insurance", "investments", "electric", "steel", "mining", "chemical", "chemicals", "foods",
        "stores", "enterprises", "international", "worldwide", "ag", "sa", "nv", "gmbh", "spa", "ab", "asa", "oyj",
        "kk", "bhd", "tbk", "limited", "incorporated", "cooperative", "co-operative", "syndicate", "consortium",
        "federal", "commonwealth", "nations", "fed", "opec", "cartel", "court", "community",
    ])

    /// Acronyms of international organizations, as news writes them. The model learns from CoNLL's 1996
    /// news, where treaties and competitions written as acronyms are MISC (`CTBT`) and many of these never
    /// occur, so it reads `GATT` or `ICCO` as MISC in stories about them; this list says they are
    /// organizations. Treaties that are nothing else (`NAFTA`, `CTBT`) are not on it.
    static let internationalOrganizations: Set<String> = Set([
        "GATT", "WTO", "OPEC", "OAPEC", "OECD", "IMF", "NATO", "EU", "EC", "EEC", "UN", "UNCTAD", "UNESCO", "UNICEF",
        "UNHCR", "UNDP", "UNEP", "UNIDO", "UNRWA", "WHO", "FAO", "ILO", "IAEA", "IFAD", "WFP", "WMO", "ITU", "ICAO",
        "IMO", "WIPO", "ASEAN", "APEC", "SADC", "ECOWAS", "OAU", "OAS", "CIS", "COMECON", "CMEA", "EFTA", "ECB",
        "BIS", "EBRD", "EIB", "ADB", "IDB", "IADB", "IBRD", "IFC", "ICO", "ICCO", "INRO", "IEA", "IOC", "FIFA",
        "UEFA", "IAAF", "OSCE", "CSCE", "INTERPOL", "ICRC", "IFRC", "GCC", "MERCOSUR", "CARICOM", "IGAD",
    ])

    /// Words that end a company's name and nothing else.
    static let companySuffixes: Set<String> = [
        "corp", "inc", "co", "ltd", "plc", "llc", "ag", "sa", "nv", "gmbh", "spa", "bhd", "tbk", "oyj", "asa",
        "corporation", "incorporated", "limited",
    ]

    /// Organization words that end a name on their own (a subset of ``organizationWords``): two such names
    /// joined by `and` are two organizations (`World Bank and International Monetary Fund`), while `Texas
    /// Oil and Gas Corp` and `Securities and Exchange Commission` stay one.
    static let organizationHeads: Set<String> = [
        "bank", "fund", "corp", "corporation", "inc", "ltd", "plc", "llc", "co", "company", "organization",
        "organisation", "ministry", "council", "commission", "committee", "department", "association", "board",
        "agency", "union", "party", "group", "exchange", "institute", "university", "federation", "authority",
        "office", "administration", "reserve", "congress", "senate", "parliament", "government", "community",
        "tribunal", "court", "holdings", "industries", "motors", "airlines", "airways",
    ]

    /// Titles and role words that precede a person's name (`Foreign Minister`, `President`, `Mr.`).
    static let roleWords: Set<String> = Set([
        "president", "minister", "prime", "secretary", "general", "chancellor", "king", "queen", "prince",
        "princess", "emperor", "pope", "sheikh", "sultan", "emir", "governor", "mayor", "senator", "sen",
        "representative", "rep", "congressman", "congresswoman", "judge", "justice", "ambassador", "envoy",
        "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair", "chief", "executive",
        "director", "commissioner", "deputy", "vice", "foreign", "defence", "defense", "finance", "interior",
        "health", "economy", "economic", "trade", "energy", "education", "justice", "agriculture", "transport",
        "labour", "labor", "environment", "culture", "sports", "tourism", "industry", "state", "home", "first",
        "lady", "mr", "mrs", "ms", "dr", "prof", "professor", "gen", "col", "lt", "capt", "captain", "major",
        "colonel", "lieutenant", "sergeant", "admiral", "commander", "officer", "coach", "manager", "head",
        "leader", "speaker", "premier", "treasurer", "attorney", "prosecutor", "inspector", "superintendent",
        "archbishop", "bishop", "cardinal", "rabbi", "imam", "rev", "reverend", "father", "sister", "brother",
        "ceo", "cfo", "coo", "founder", "co-founder", "economist", "analyst", "lawmaker", "mp", "councillor",
        "councilor", "opposition", "shadow", "former", "acting", "interim", "assistant", "under", "undersecretary",
        "foreign", "national", "security", "adviser", "advisor", "special", "senior", "junior", "associate",
        "central", "managing", "sir", "dame", "lord", "baroness", "ayatollah", "crown", "grand", "duke", "exchequer",
    ])

    /// Role nouns: an appositive after a name is a role only if it holds one of these.
    static let roleNouns: Set<String> = Set([
        "president", "minister", "secretary", "general", "chancellor", "governor", "mayor", "senator", "judge",
        "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "chair",
        "chief", "executive", "director", "commissioner", "head", "leader", "officer", "official", "economist",
        "analyst", "manager", "coach", "founder", "professor", "researcher", "scientist", "lawyer", "attorney",
        "prosecutor", "adviser", "advisor", "member", "candidate", "lawmaker", "mp", "deputy", "premier",
        "treasurer", "president-elect", "ceo", "cfo", "coo", "editor", "correspondent", "author", "strategist",
        "representative", "partner", "analyst", "diplomat", "negotiator", "mediator", "expert", "activist",
        "campaigner", "worker", "owner", "resident", "student", "teacher", "doctor", "captain", "striker",
        "midfielder", "defender", "goalkeeper", "champion", "player", "commander", "colonel", "general", "mps",
        "meps", "msps", "ministers", "officials", "leaders", "executives",
    ])

    /// Short capitalized words that are not organizations though written like acronyms: time zones,
    /// units and measures, common abbreviations, earnings-table headings, credit ratings.
    static let commonAcronyms: Set<String> = Set([
        "gmt", "utc", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "bst", "cet", "cest", "jst", "ist",
        "tv", "gdp", "gnp", "cpi", "ppi", "pc", "pcs", "cd", "cds", "dvd", "dvds", "id", "ids", "aids", "hiv",
        "sars", "ceo", "cfo", "coo", "mp", "mps", "msp", "msps", "mep", "meps", "ai", "faq", "vat", "ipo", "ipos",
        "etf", "ok", "am", "pm", "usd", "eur", "gbp", "jpy", "dlr", "dlrs", "mln", "bln", "pct", "qtr", "shr", "shrs",
        "net", "revs", "avg", "oper", "ltd", "inc", "corp", "co", "plc", "aaa", "aa", "bbb", "bb",
        "km", "kg", "mph", "cm", "mm", "ft", "lb", "lbs", "oz", "mw", "gw", "kwh", "bpd", "dna", "rna", "ad", "bc",
        "vs", "tba", "rip", "sos", "diy", "vip", "vips", "hq", "dj", "mc", "cv", "pr",
        "qc", "kc", "ma", "phd", "mba", "bsc", "msc", "nb", "ps", "etc", "asap", "lol", "omg", "wmd", "wmds",
        "gpu", "gpus", "cpu", "cpus", "led", "leds", "lcd", "oled", "hdr", "hd", "uhd", "usb", "sim", "suv", "suvs",
        "ev", "evs", "nft", "nfts", "vr", "api", "apis", "ceos", "cfos", "r&d", "lgbt", "lgbtq", "lgbtq+", "ui",
        "xl", "xxl", "no",
    ])

    /// Words that name no person, organization or place when they stand alone, however a model trained
    /// on 1996 wires reads them: holidays (`poor Christmas sales`), awards (`an Oscar nomination`), a faith's
    /// followers (`Muslims`), which annotated news types as miscellaneous; seasons (`in the Spring`); and
    /// `Born` opening a sentence (`Born in Luton, she ...`). In a longer name they stay (`Christmas Island`,
    /// `Oscar Wilde`).
    static let notNamesAlone: Set<String> = Set([
        "christmas", "xmas", "easter", "ramadan", "eid", "thanksgiving", "halloween", "hanukkah", "passover",
        "diwali", "lent", "advent", "hogmanay", "new year", "new year's",
        "oscar", "oscars", "grammy", "grammys", "emmy", "emmys", "golden globe", "golden globes", "nobel",
        "muslim", "muslims", "christian", "christians", "jew", "jews", "hindu", "hindus", "sikh", "sikhs",
        "buddhist", "buddhists", "catholic", "catholics", "protestant", "protestants", "sunni", "sunnis", "shia",
        "shias", "shiite", "shiites", "mormon", "mormons",
        "spring", "summer", "autumn", "winter", "born",
        "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays",
        "android", "linux", "iphone", "iphones", "ipad", "chatgpt", "playstation", "xbox",
    ])

    /// Companies and services of today, one word each, that a model trained on 1996 wires cannot know, and
    /// reads as a place after `on` or `in` (`on Instagram`, `investors in Google`) or as a person: written
    /// exactly so, they are organizations. Not those that are also a common word or a place (`Amazon`,
    /// `Apple`, `Meta`).
    static let organizationNames: Set<String> = Set([
        "google", "alphabet", "youtube", "facebook", "instagram", "whatsapp", "twitter", "tiktok", "bytedance",
        "snapchat", "pinterest", "reddit", "linkedin", "microsoft", "netflix", "spotify", "uber", "lyft", "airbnb",
        "tesla", "spacex", "openai", "anthropic", "nvidia", "intel", "qualcomm", "samsung", "huawei", "xiaomi",
        "tencent", "alibaba", "baidu", "nintendo", "oracle", "salesforce", "paypal", "ebay", "yahoo", "wikipedia",
        "twitch", "discord", "starbucks", "walmart", "costco", "pfizer", "moderna", "astrazeneca", "mastercard",
        "jpmorgan", "citigroup", "citibank", "blackrock", "hulu", "msnbc", "verizon", "comcast", "vodafone",
        "volkswagen", "toyota", "hyundai", "nissan", "renault", "peugeot", "ikea", "nestle",
        "unilever", "gazprom", "rosneft", "aramco", "petrobras", "sinopec", "foxconn", "tsmc", "lenovo", "zoom",
    ])

    /// Words a broadcaster's name ends with before its number (`Channel 4`, `Radio 5`).
    static let numberedMedia: Set<String> = ["channel", "radio", "tv", "television", "network", "station"]

    /// Words for works, after which a capitalized phrase is a title (`the film The Aviator`). Not those that
    /// are also common adjectives or verbs (`single`, `play`, `track`: `a single EU market`).
    static let workNouns: Set<String> = Set([
        "film", "films", "movie", "movies", "biopic", "documentary", "album", "albums", "song", "songs", "novel",
        "novels", "book", "books", "musical", "sitcom", "series", "drama", "thriller", "blockbuster", "opera",
        "painting", "poem", "memoir", "epic", "comedy",
    ])

    /// The days of the week: a name other than an event's does not run on into them (`Shultz Monday`).
    static let weekdays: Set<String> = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Days and months (and their abbreviations): a name is not joined to them (`Shultz on Monday`).
    static let calendarWords: Set<String> = weekdays.union([
        "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan",
        "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun",
    ])

    /// Titles that stand right before a name and are not role nouns or honorifics: ranks, offices held,
    /// nobility and clergy (`King Abdullah`, `Senator Warren`, `Baroness Scotland`, `Gen. Powell`).
    static let titles: Set<String> = Set([
        "king", "queen", "prince", "princess", "emperor", "empress", "pope", "sheikh", "sultan", "emir", "senator",
        "sen", "rep", "representative", "congressman", "congresswoman", "justice", "judge", "mayor", "governor", "gov",
        "chancellor", "premier", "president", "minister", "secretary", "ambassador", "envoy", "spokesman",
        "spokeswoman", "chairman", "chairwoman", "commissioner", "director", "mp", "lord", "lady", "baroness", "baron",
        "duke", "duchess", "count", "countess", "earl", "sir", "dame", "rabbi", "imam", "cardinal", "bishop",
        "archbishop", "rev", "reverend", "father", "ayatollah", "gen", "col", "lt", "capt", "maj", "sgt", "adm",
        "cmdr", "captain", "major", "colonel", "lieutenant", "sergeant", "admiral", "commander", "general", "coach",
        "professor", "prof", "dr", "detective", "inspector", "superintendent", "officer", "constable", "attorney",
        "prosecutor", "treasurer", "leader", "speaker", "ceo", "chief", "officer",
    ])

    /// Abbreviations that stand before a name (`St. Louis`, `Gen. Powell`), beside the honorifics: the entity
    /// model's cut keeps their period even where a capitalized word follows.
    static let namePrefixes: Set<String> = [
        "st", "mt", "ft", "gen", "sen", "rep", "gov", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "prof",
        "rev", "hon", "pres", "supt", "msgr", "cpl", "pvt", "gens", "reps", "sens", "govs", "atty",
    ]

    /// Honorifics: a capitalized word after one is a person even when alone (`Mr. Smith`).
    static let honorifics: Set<String> = Set(["mr", "mrs", "ms", "dr", "sir", "dame", "lord", "madame", "monsieur"])

    /// Words that join parts of a name (`Bank of England`, `Ibn al-Khattab`, `Ludwig van Beethoven`).
    static let connectors: Set<String> = Set([
        "of", "for", "and", "the", "de", "du", "des", "la", "le", "del", "della", "di", "da", "dos", "das", "al",
        "el", "bin", "ibn", "van", "von", "der", "den", "ter", "&", "y", "on",
    ])

    /// Capitalized words that start sentences or headlines and are not names.
    static let commonCapitalized: Set<String> = Set([
        "the", "a", "an", "in", "at", "on", "but", "and", "or", "he", "she", "it", "they", "we", "i", "you", "this",
        "that", "these", "those", "as", "after", "before", "during", "when", "while", "if", "although", "though",
        "furthermore", "however", "meanwhile", "moreover", "also", "still", "yet", "so", "then", "there", "here",
        "his", "her", "its", "their", "our", "my", "your", "some", "many", "most", "all", "both", "each", "every",
        "no", "not", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "last", "next",
        "first", "second", "third", "new", "other", "such", "what", "which", "who", "whom", "whose", "where",
        "why", "how", "with", "without", "from", "by", "for", "to", "of", "about", "against", "between", "into",
        "through", "under", "over", "above", "below", "since", "until", "unless", "because", "despite", "among",
        "according", "asked", "said", "says", "earlier", "later", "today", "yesterday", "tomorrow", "now",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "mln", "pct", "dlrs",
        "billion", "million", "more", "less", "than", "only", "even", "just", "well", "much", "very", "do",
        "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "could",
        "should", "can", "may", "might", "must", "shall", "let", "please", "thanks", "yes", "ok", "mr", "mrs",
        "ms", "dr", "photo", "video", "read", "watch", "share",
        "advertisement", "related", "update", "updated", "breaking", "exclusive", "analysis", "opinion",
        "editorial", "comment", "interview", "correction", "note", "source", "sources", "officials", "police",
        "residents", "people", "experts", "analysts", "investors", "traders", "shares", "prices", "stocks",
    ])

    /// Verbs of saying that attribute a statement.
    static let speechVerbs: Set<String> = Set([
        "said", "says", "added", "adds", "stressed", "noted", "told", "warned", "explained", "stated", "announced",
        "argued", "insisted", "claimed", "reiterated", "declared", "emphasized", "emphasised", "underlined",
        "observed", "remarked", "commented", "asserted", "maintained", "acknowledged", "admitted", "wrote",
        "tweeted", "posted", "confirmed", "denied", "predicted", "urged", "cautioned", "continued", "concluded",
        "suggested", "replied", "responded", "recalled", "conceded", "complained", "pointed", "affirmed",
    ])

    /// Lowercase words after a capitalized phrase that make it a place (`the Nagorno-Karabakh region`).
    static let placeNouns: Set<String> = Set([
        "region", "province", "district", "county", "city", "town", "village", "state", "island", "islands",
        "valley", "river", "mountains", "peninsula", "coast", "border", "capital", "port", "oblast", "governorate",
        "prefecture", "territory", "territories", "enclave", "strait", "sea", "gulf", "basin", "area",
    ])

    /// Prepositions after which an unknown short capitalized phrase is read as a place.
    static let placePrepositions: Set<String> = Set(["in", "near", "across", "outside", "throughout", "inside"])

    /// Pronouns that refer back to the last person named.
    static let personPronouns: Set<String> = Set(["he", "she"])
}

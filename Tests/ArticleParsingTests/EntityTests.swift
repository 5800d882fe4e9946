@testable import ArticleParsing
import Foundation
import NewsModel
import Testing

@Suite("Entities and quotes")
struct EntityTests {
    @Test("direct quotes before and after the speaker, pronouns resolved to the last person named")
    func directQuotes() throws {
        let url = ParserTestSupport.fixtures.appendingPathComponent("direct-quotes.txt")
        let article = try #require(ParserTestSupport.parse(Array(try Data(contentsOf: url))).value)
        let quotes = try #require(article.quotes)
        #expect(quotes.contains(Quote(speaker: "Marieke de Vries", text: "This agreement gives our members the security they asked for")))
        #expect(quotes.contains(Quote(speaker: "Jan Bakker", text: "Ships that waited at anchor will be handled within a week")))
        #expect(quotes.contains(Quote(speaker: "Marieke de Vries", text: "We expect a clear yes")))
        let persons = Set(article.entities?.persons.map(\.name) ?? [])
        #expect(persons.isSuperset(of: ["Marieke de Vries", "Jan Bakker"]))
        let organizations = Set(article.entities?.organizations.map(\.name) ?? [])
        #expect(organizations.contains("Port Authority"))
        #expect(article.dateline?.city == "Rotterdam")
        #expect(article.dateline?.countryCode == "NL")
    }

    @Test("acronyms defined in parentheses fold into their expansion")
    func acronyms() throws {
        let text = "Health alert\n\nThe World Health Organization (WHO) warned on Monday of a new outbreak. WHO officials said the risk was moderate, and WHO will send experts."
        let article = try #require(ParserTestSupport.parse(text).value)
        let who = article.entities?.organizations.first { $0.name == "World Health Organization" }
        #expect(who?.mentions == 3)
        #expect(article.entities?.organizations.contains { $0.name == "WHO" } == false)
    }

    @Test("sentence-initial words, months and weekdays are not entities")
    func noiseIsNotAnEntity() throws {
        let text = "Quiet week\n\nThe market was calm on Monday. In March, traders expect more. However, nothing moved."
        let article = try #require(ParserTestSupport.parse(text).value)
        let all = (article.entities?.persons ?? []) + (article.entities?.organizations ?? []) + (article.entities?.locations ?? [])
        #expect(all.isEmpty, "\(all.map(\.name))")
    }

    /// The names an article's record gives, by kind.
    private func names(_ text: String) throws -> (persons: Set<String>, organizations: Set<String>, locations: Set<String>) {
        let article = try #require(ParserTestSupport.parse(text).value)
        let entities = article.entities
        return (Set(entities?.persons.map(\.name) ?? []), Set(entities?.organizations.map(\.name) ?? []),
                Set(entities?.locations.map(\.name) ?? []))
    }

    @Test("dotted abbreviations are places by the gazetteer, not organizations; initials are neither")
    func dottedAbbreviations() throws {
        let found = try names("""
            Trade talks

            U.S. officials met their U.K. counterparts in Washington. Funaro said U.S officials understood. \
            Shares were sold through E.F. Hutton and Co.
            """)
        #expect(found.locations.isSuperset(of: ["U.S.", "U.K."]), "\(found.locations)")
        #expect(found.organizations.isDisjoint(with: ["U.S", "U.S.", "U.K", "U.K.", "E.F", "E.F."]), "\(found.organizations)")
        #expect(found.persons.isDisjoint(with: ["U.S", "U.S."]))
    }

    @Test("capitalized common words and units are not organizations")
    func commonCapitalsAreNotOrganizations() throws {
        let found = try names("""
            Results

            NOTE: Figures are in GMT. The TV channel said GDP grew. OPEC met in Vienna.
            """)
        #expect(found.organizations == ["OPEC"], "\(found.organizations)")
    }

    @Test("`New` and `First` stay in names; a possessive leaves the name")
    func nameStarts() throws {
        let found = try names("""
            Markets

            Shares rose on the New York Stock Exchange, said First Boston Corp. New York traders were calm. \
            President Reagan's budget was sent to Congress, and Hong Kong's market fell.
            """)
        #expect(found.organizations.isSuperset(of: ["New York Stock Exchange", "First Boston Corp"]), "\(found.organizations)")
        // Whether `New York traders` are a place's or, after the Stock Exchange, an organization's is the
        // model's call; that `New` stays in the name is the rules'.
        #expect(found.locations.contains("New York") || found.organizations.contains("New York"))
        #expect(found.locations.contains("Hong Kong"))
        #expect(!found.locations.contains("York") && !found.organizations.contains("York"))
        #expect(found.persons == ["Reagan"], "\(found.persons)")
    }

    @Test("titles: the person after them, whatever precedes; titles and common words alone are not persons")
    func titles() throws {
        let found = try names("""
            Debt talks

            Treasury Secretary James Baker met Secretary of State George Shultz on Monday. The Home Secretary's \
            plan was criticised by the Prime Minister. Mr Blair and Mr Brown spoke after the General Election, \
            the first election since 2001. Talks on the General Agreement on Tariffs and Trade resumed. Mr. Smith \
            agreed.
            """)
        #expect(found.persons.isSuperset(of: ["James Baker", "George Shultz", "Blair", "Brown", "Smith"]), "\(found.persons)")
        #expect(found.persons.isDisjoint(with: [
            "Secretary", "Secretary's", "Minister", "Election", "Agreement on Tariffs", "Blair and Mr Brown",
            "of State George Shultz",
        ]), "\(found.persons)")
        #expect(!found.organizations.contains("Treasury Secretary James Baker"))
    }

    @Test("a given name that begins an organization's name in the text is the organization")
    func personsFoldIntoOrganizations() throws {
        let found = try names("""
            Brokers

            Merrill Lynch said on Monday it would buy the unit. Merrill Lynch and Co Inc shares rose 2 pct.
            """)
        #expect(!found.persons.contains("Merrill Lynch"), "\(found.persons)")
        #expect(found.organizations.contains("Merrill Lynch and Co Inc"))
    }

    @Test("two titled persons joined by `and` are two persons, each with their own title")
    func titledPersonsJoined() throws {
        let article = try #require(ParserTestSupport.parse("""
            Summit

            German Chancellor Gerhard Schroeder and French President Jacques Chirac met in Paris.
            """).value)
        let persons = article.entities?.persons ?? []
        #expect(persons.first { $0.name == "Gerhard Schroeder" }?.role == "German Chancellor", "\(persons)")
        #expect(persons.first { $0.name == "Jacques Chirac" }?.role == "French President", "\(persons)")
    }

    @Test("a word that only qualifies a place is not a title: no person in `the State Capitol`")
    func qualifiersAreNotTitles() throws {
        let found = try names("""
            Tour

            Visitors walked from the State Capitol to the National Civil Rights Museum and the Botanical Garden.
            """)
        #expect(found.persons.isEmpty, "\(found.persons)")
    }

    @Test("a name whose initials a parenthesized acronym spells is an organization, `and` inside it too")
    func acronymDefinitionsMakeOrganizations() throws {
        let found = try names("""
            Outlook

            The European Community (EC) and the Organisation for Economic Cooperation and Development (OECD) \
            cut their forecasts. Bonds were rated by Moody's Investors Service Inc and AA by Standard and Poor's Corp.
            """)
        #expect(found.organizations.isSuperset(of: [
            "European Community", "Organisation for Economic Cooperation and Development", "Moody's Investors Service Inc",
            "Standard and Poor's Corp",
        ]), "\(found.organizations)")
    }

    /// The organizations of a text as records carry them: name to acronym ("" for none).
    private func organizations(_ text: String) throws -> [String: String] {
        let article = try #require(ParserTestSupport.parse(text).value)
        var found: [String: String] = [:]
        for organization in article.entities?.organizations ?? [] { found[organization.name] = organization.acronym ?? "" }
        return found
    }

    @Test("an acronym is one organization with its expansion, written before its definition or spelled by it")
    func acronymsFoldBothWays() throws {
        let found = try organizations("""
            Cocoa and growth

            The OECD said growth would slow. The Organisation for Economic Cooperation and Development (OECD)             cut its forecast. Delegates of the International Cocoa Organization met in London, and the ICCO             buffer stock manager said prices were low. The European Community kept its quotas.
            """)
        #expect(found["Organisation for Economic Cooperation and Development"] == "OECD", "\(found)")
        #expect(found["International Cocoa Organization"] == "ICCO", "\(found)")
        #expect(found["OECD"] == nil && found["ICCO"] == nil, "\(found)")
        #expect(found["European Community"] == "", "\(found)")
    }

    @Test("an acronym that does not spell a name stays its own organization")
    func acronymsThatSpellNothing() throws {
        // ECU is no `European Community`: the last word gives its initial alone. Two letters spell too
        // many names to fold without a definition.
        let found = try organizations("""
            Rates

            The European Community set the rate in ECU on Tuesday. Engelhard Corp said the EC decision helped.
            """)
        #expect(found["European Community"] == "", "\(found)")
        #expect(found["Engelhard Corp"] == "", "\(found)")
    }

    @Test("how an acronym spells a name", arguments: [
        ("OECD", "Organisation for Economic Co-operation and Development", true),
        ("OPEC", "Organization of Petroleum Exporting Countries", true),
        ("FAO", "Food and Agriculture Organization", true),
        ("UNCTAD", "United Nations Conference on Trade and Development", true),
        ("ICCO", "International Cocoa Organization", true),
        ("U.N.", "United Nations", true),
        ("ECU", "European Community", false),
        ("ICCO", "International Cocoa Council", false),
        ("IMF", "International Monetary", false),
        ("IMF", "World Bank", false),
        // Every way of taking letters from a long word is not tried one by one.
        ("AAAAAAAAAAAAAAAB", String(repeating: "a", count: 200) + " " + String(repeating: "a", count: 200) + " Bank", true),
        ("AAAAAAAAAAAAAAAC", String(repeating: "a", count: 200) + " " + String(repeating: "a", count: 200) + " Bank", false),
    ])
    func spelling(acronym: String, name: String, spells: Bool) {
        #expect(EntityRecognizer.spells(acronym, name) == spells)
    }

    @Test("two complete names joined by `and` are two; a name with `and` inside stays one")
    func coordinatedNames() throws {
        let found = try names("""
            Debt talks

            WASHINGTON, March 3 - The World Bank and International Monetary Fund said aid would rise.             The IMF and World Bank agreed on the terms. Continental Illinois National Bank and Trust Co             and the Securities and Exchange Commission were told. Experts of the Food and Agriculture             Organization and Dallas-based Diamond Shamrock Corp said nothing.
            """)
        #expect(found.organizations.isSuperset(of: [
            "World Bank", "International Monetary Fund", "Continental Illinois National Bank and Trust Co",
            "Securities and Exchange Commission", "Food and Agriculture Organization", "Diamond Shamrock Corp",
        ]), "\(found.organizations)")
        #expect(!found.organizations.contains { $0.contains("World Bank and") || $0.contains("IMF and") || $0.hasPrefix("Dallas") },
                "\(found.organizations)")
    }

    @Test("an acronym defined in parentheses joins the names it spells across a connective")
    func acronymJoinsNames() throws {
        let article = try #require(ParserTestSupport.parse("""
            RUBBER PRODUCERS, CONSUMERS START NEW PACT TALKS

            GENEVA, March 9 - The INRA renegotiation conference, which resumed today
            under the auspices of the United Nations Conference on Trade
            and Development (UNCTAD), is scheduled to last until March 20. UNCTAD officials said
            the talks would go on.
            """).value)
        let organizations = article.entities?.organizations ?? []
        let unctad = try #require(organizations.first { $0.name == "United Nations Conference on Trade and Development" },
                                  "\(organizations.map(\.name))")
        #expect(unctad.acronym == "UNCTAD")
        #expect(!organizations.contains { $0.name == "Trade and Development" || $0.name == "United Nations Conference" })
    }

    @Test("a hyphenated name before a place noun is a place; a compound of demonyms or adjectives is not")
    func compoundPlaceNames() throws {
        let found = try names("""
            Border talks

            MOSCOW, March 3 - Troops left the Nagorno-Karabakh region on Tuesday, and police in the \
            Baden-Wuerttemberg state said the Schleswig-Holstein coast was calm. Talks on the Sino-Russian \
            border and the Anglo-Dutch region resumed. Nagorno-Karabakh has been disputed since 1988.
            """)
        #expect(found.locations.isSuperset(of: ["Nagorno-Karabakh", "Baden-Wuerttemberg", "Schleswig-Holstein"]),
                "\(found.locations)")
        #expect(found.locations.isDisjoint(with: ["Sino-Russian", "Anglo-Dutch"]), "\(found.locations)")
    }

    @Test("teams named after their city are organizations; agencies in the text are organizations; leagues are not")
    func teamsAgenciesAndLeagues() throws {
        let found = try names("""
            BASEBALL - DODGERS BEAT PADRES

            LOS ANGELES 1996-08-30

            The Los Angeles Dodgers beat the San Diego Padres 5-3 on Friday to lead the National League West. \
            "We needed that," Dodgers manager Bill Russell told Reuters. The San Francisco Giants lost in the \
            American League park.
            """)
        #expect(found.organizations.isSuperset(of: ["Los Angeles Dodgers", "San Diego Padres", "San Francisco Giants", "Reuters"]),
                "\(found.organizations)")
        #expect(found.organizations.isDisjoint(with: ["Los", "San", "American League", "National League"]), "\(found.organizations)")
        #expect(found.persons == ["Bill Russell"], "\(found.persons)")
    }

    @Test("a name the model types two ways in one text is one entity of one kind")
    func oneKindPerName() throws {
        // The shipped model reads `Google` as a place after `investors in` and as a person after
        // `search-engine`, and `TimeWarner` as an organization.
        let found = try names("""
            Media profits

            Quarterly profits at US media giant TimeWarner jumped 76% for the three months to December. The \
            firm, which is now one of the biggest investors in Google, benefited from sales of high-speed \
            internet connections. TimeWarner said fourth quarter sales rose 2%. TimeWarner said on Friday \
            that it now owns 8% of search-engine Google. TimeWarner is to restate its accounts.
            """)
        let kinds = [found.persons, found.organizations, found.locations]
        for (number, names) in kinds.enumerated() {
            for other in kinds[(number + 1)...] {
                #expect(names.isDisjoint(with: other), "\(found)")
            }
        }
        #expect(found.organizations.contains("TimeWarner"), "\(found)")
        #expect([found.persons, found.organizations, found.locations].contains { $0.contains("Google") }, "\(found)")
    }

    @Test("a split kind: a country is a place, a city also a team stays both, the name's words or the most mentions decide")
    func kindConflicts() {
        var recognizer = EntityRecognizer(text: TokenizedText(paragraphs: ["x"]), dateline: nil)
        typealias Kind = EntityRecognizer.Kind
        let split: [(Kind, String, Int)] = [
            (.organization, "United States", 2), (.location, "United States", 1),
            (.organization, "Detroit", 2), (.location, "Detroit", 1), (.person, "Detroit", 1),
            (.person, "Menatep Group", 3), (.organization, "Menatep Group", 1),
            (.person, "Maria Brandon", 1), (.organization, "Maria Brandon", 2),
            (.location, "Citigroup", 1), (.organization, "Citigroup", 3), (.person, "Citigroup", 1),
            (.location, "Zorba", 1), (.person, "Zorba", 1),
            (.location, "Paris", 2),
        ]
        for (order, (kind, name, mentions)) in split.enumerated() {
            recognizer.records[.init(kind: kind, name: name)] = .init(kind: kind, name: name, mentions: mentions, firstSeen: order)
            for _ in 0..<mentions { recognizer.mentions.append(.init(tokens: order..<(order + 1), kind: kind, name: name)) }
        }
        recognizer.foldKindConflicts()
        var kinds: [String: [Kind]] = [:]
        for key in recognizer.records.keys { kinds[key.name, default: []].append(key.kind) }
        #expect(kinds["United States"] == [.location])
        #expect(Set(kinds["Detroit"] ?? []) == [.organization, .location])
        #expect(kinds["Menatep Group"] == [.organization])
        #expect(kinds["Maria Brandon"] == [.person])
        #expect(kinds["Citigroup"] == [.organization])
        #expect(kinds["Zorba"] == [.person])
        #expect(kinds["Paris"] == [.location])
        // Mentions follow, and the counts add up.
        #expect(recognizer.records[.init(kind: .organization, name: "Citigroup")]?.mentions == 5)
        #expect(recognizer.records[.init(kind: .location, name: "Detroit")]?.mentions == 2)
        for mention in recognizer.mentions {
            #expect(kinds[mention.name]?.contains(mention.kind) == true, "\(mention.name) as \(mention.kind)")
        }
        #expect(recognizer.mentions.count == 23)
    }

    @Test("a broadcaster's number is part of its name; holidays, awards and a faith's followers are no names alone")
    func numberedMediaAndMiscellaneousNames() throws {
        let found = try names("""
            Media

            He told BBC Radio 4's Today programme that the film would be shown on Channel 4 at Christmas. \
            Radio 1 and Channel 5 declined. Muslims and Christians in the city marked Easter. The film won an \
            Oscar nomination, and Oscar Wilde's play opened. Sales fell 2% (Â£600m).
            """)
        #expect(found.organizations.isSuperset(of: ["BBC Radio 4", "Channel 4"]), "\(found.organizations)")
        #expect(found.organizations.isDisjoint(with: ["BBC Radio", "Channel", "Radio"]), "\(found.organizations)")
        #expect(found.persons == ["Oscar Wilde"], "\(found.persons)")
        let all = found.persons.union(found.organizations).union(found.locations)
        #expect(all.isDisjoint(with: ["Christmas", "Easter", "Muslims", "Christians", "Oscar", "Â"]), "\(all)")
        #expect(EntityRecognizer.mayBeName("X") && !EntityRecognizer.mayBeName("Â") && !EntityRecognizer.mayBeName("Golden Globes"))
    }

    @Test("a role ends before an honorific and never with a preposition; a title's word, a season or `Born` is no place")
    func rolesAndLoneWords() throws {
        let article = try #require(ParserTestSupport.parse("""
            Politics

            Shadow home secretary Mr David Davis said the bill would fail. Under Mr Gordon Brown, taxes rose. \
            Born in Luton, Bedfordshire, she moved to Paris in the Spring.
            """).value)
        let persons = article.entities?.persons ?? []
        #expect(persons.first { $0.name == "David Davis" }?.role == "Shadow home secretary", "\(persons)")
        #expect(persons.first { $0.name == "Gordon Brown" }.map { $0.role == nil } == true, "\(persons)")
        let places = Set(article.entities?.locations.map(\.name) ?? [])
        #expect(places.isDisjoint(with: ["Shadow", "Born", "Spring"]), "\(places)")
        #expect(places.isSuperset(of: ["Luton", "Paris"]), "\(places)")
    }

    @Test("today's companies are organizations wherever the model puts them; common acronyms alone are no names")
    func todaysCompaniesAndCommonAcronyms() throws {
        let found = try names("""
            Tech

            The firm is among the biggest investors in Google. Analysts at Citigroup said the clip spread on \
            Instagram and TikTok. The No. 1 seller was a GPU for an SUV, with an LED screen and AI features.
            """)
        #expect(found.organizations.isSuperset(of: ["Google", "Citigroup", "Instagram", "TikTok"]), "\(found)")
        let all = found.persons.union(found.organizations).union(found.locations)
        #expect(all.isDisjoint(with: ["No.", "No", "GPU", "SUV", "LED", "AI"]), "\(all)")
        #expect(found.persons.isEmpty && found.locations.isEmpty, "\(found)")
    }

    @Test("a title right after a word for a work is none of the three kinds, there and elsewhere in the text")
    func workTitles() throws {
        let found = try names("""
            Awards

            Martin Scorsese's biopic The Aviator leads the race, ahead of the movie Sideways. Aviator star \
            Leonardo DiCaprio was in London on Sundays. In the film Tom Hanks plays a pilot. A single EU \
            market was agreed.
            """)
        let all = found.persons.union(found.organizations).union(found.locations)
        #expect(all.isDisjoint(with: ["The Aviator", "Aviator", "Sideways", "Sundays"]), "\(all)")
        #expect(found.persons.isSuperset(of: ["Martin Scorsese", "Leonardo DiCaprio", "Tom Hanks"]), "\(found.persons)")
        #expect(found.organizations.contains("EU") || found.locations.contains("EU"), "\(found)")
    }

    @Test("a name ending with a company's suffix is no person; a person named in full far more often than a party named after them stays a person")
    func companySuffixesAndNamesakes() throws {
        var recognizer = EntityRecognizer(text: TokenizedText(paragraphs: ["Dean Witter Reynolds Inc and Hal Roach Studios Inc said so."]), dateline: nil)
        recognizer.add(.person, name: "Dean Witter Reynolds Inc", range: 0..<4)
        recognizer.add(.person, name: "Hal Roach Studios Inc", range: 5..<9)
        #expect(recognizer.records.keys.allSatisfy { $0.kind == .organization }, "\(recognizer.records.keys)")
        var namesake = EntityRecognizer(text: TokenizedText(paragraphs: ["x"]), dateline: nil)
        typealias Kind = EntityRecognizer.Kind
        for (kind, name, mentions) in [(Kind.person, "Robert Kilroy-Silk", 16), (.organization, "Robert Kilroy-Silk Party", 2),
                                       (.person, "Morgan Stanley", 3), (.organization, "Morgan Stanley Group", 1),
                                       (.person, "Pirelli", 6), (.organization, "Pirelli Tyre", 1)] {
            namesake.records[.init(kind: kind, name: name)] = .init(kind: kind, name: name, mentions: mentions, firstSeen: 0)
        }
        namesake.foldPersonsIntoOrganizations()
        #expect(namesake.records[.init(kind: .person, name: "Robert Kilroy-Silk")]?.mentions == 16)
        #expect(namesake.records[.init(kind: .person, name: "Morgan Stanley")] == nil)
        #expect(namesake.records[.init(kind: .organization, name: "Morgan Stanley Group")]?.mentions == 4)
        #expect(namesake.records[.init(kind: .person, name: "Pirelli")] == nil)
    }

    @Test("words in capitals that head a listing's lines are no organizations")
    func listingHeads() throws {
        let found = try names("""
            MUNICIPAL BOND SALE

            NEW YORK, Aug 30

            ISSUE: 25 mln dlrs general obligation bonds.
            DUE: 1998-2016.
            DATE: Sept 1, 1996.
            CUSIP: 123456.
            The sale was arranged by Smith Barney Inc, the issuer said.
            """)
        #expect(found.organizations == ["Smith Barney Inc"], "\(found.organizations)")
    }

    @Test("the state or country after a dateline's city is a location too, listed after the city")
    func datelineState() throws {
        let article = try #require(ParserTestSupport.parse("""
            GOLF - LEADING SCORES

            MILWAUKEE, Wisconsin 1996-08-29

            Leading scores in the Greater Milwaukee Open on Thursday, where Loren Roberts shot a 65.
            """).value)
        // The two are seen once each, before any name of the text: their order must not be left to chance.
        #expect(article.entities?.locations.map(\.name) == ["Milwaukee", "Wisconsin"])
    }

    @Test("an initial keeps its period and belongs to the name, at a sentence's start too")
    func initials() throws {
        let found = try names("""
            CRICKET - SCORES

            LONDON 1996-08-30

            Surrey 300 ( A. Hollioake 60 , M. Butcher 40 ; C. Lewis 4-50 ) beat Kent.

            A. Hollioake took two wickets. The library honours John F. Kennedy, who was shot in Dallas.
            """)
        #expect(found.persons.isSuperset(of: ["A. Hollioake", "M. Butcher", "C. Lewis", "John F. Kennedy"]), "\(found.persons)")
        #expect(found.persons.isDisjoint(with: ["Hollioake", ". Hollioake", "John F", "Kennedy"]), "\(found.persons)")
        #expect(found.organizations == ["Surrey", "Kent"], "\(found.organizations)")
    }

    @Test("an international organization's acronym is an organization, whatever the model read it as")
    func internationalOrganizations() throws {
        for sentence in ["Farm trade is part of the GATT round, he said.", "Exports fall under GATT rules, the ministry said."] {
            let found = try names("TRADE\n\nGENEVA, March 23 - \(sentence)\n")
            #expect(found.organizations == ["GATT"], "\(sentence): \(found.organizations)")
        }
    }

    @Test("a company's name keeps its suffix's period inside a sentence, not where a capitalized word follows")
    func suffixPeriods() throws {
        let found = try names("""
            Banking

            CHICAGO, March 3 - Banc One Corp. said it would buy Marine Corp. of Illinois, said First Boston Corp. \
            New York traders were calm.
            """)
        #expect(found.organizations.isSuperset(of: ["Banc One Corp.", "Marine Corp. of Illinois", "First Boston Corp"]),
                "\(found.organizations)")
    }

    @Test("an honorific the model takes into a name is left out of it")
    func honorificsLeaveNames() throws {
        let found = try names("""
            Tory attack

            Tony Blair spoke on Sunday. Dr Fox accused Mr Blair and other Cabinet ministers of telling lies, \
            and said Mr Blair was very worried.
            """)
        #expect(found.persons.contains("Tony Blair"), "\(found.persons)")
        #expect(found.persons.isDisjoint(with: ["Mr Blair", "Blair", "Mr"]), "\(found.persons)")
    }

    @Test("a capitalized `The` inside a sentence is part of the name")
    func capitalizedThe() throws {
        let found = try names("""
            CRICKET

            LONDON 1996-08-30

            Surrey will play Kent at The Oval on Friday, The Times reported.
            """)
        #expect(found.locations.contains("The Oval"), "\(found.locations)")
        #expect(found.organizations.contains("The Times"), "\(found.organizations)")
    }

    @Test("a shorter mention typed as an organization is the person whose name it ends")
    func shorterMentionOfAPerson() throws {
        let found = try names("""
            Cocoa talks

            ABIDJAN, March 15 - Ivorian Agriculture Minister Denis Bra Kanon would attend the opening of the             talks, a senior Ivory Coast Agriculture Ministry official said. Bra Kanon is chairman of the             council.
            """)
        #expect(found.persons.contains("Denis Bra Kanon"), "\(found.persons)")
        #expect(!found.organizations.contains("Bra Kanon"), "\(found.organizations)")
        #expect(!found.persons.contains("Ministry"), "\(found.persons)")
    }
}

/// Look-ups over the generated place tables (`CountryData.swift`): country names and aliases, demonyms,
/// US states and Canadian provinces with their dateline abbreviations.
enum Gazetteer {
    private static let countries: [String: String] = {
        var table: [String: String] = [:]
        for entry in countryNameTable { table[key(entry.name)] = table[key(entry.name)] ?? entry.code }
        return table
    }()

    private static let demonyms: [String: String] = {
        var table: [String: String] = [:]
        for entry in countryDemonymTable { table[key(entry.name)] = table[key(entry.name)] ?? entry.code }
        return table
    }()

    /// Region names and abbreviations (US states, Canadian provinces) to the canonical region and country.
    private static let regions: [String: (name: String, code: String)] = {
        var table: [String: (name: String, code: String)] = [:]
        for state in usStateTable {
            table[key(state.name)] = (state.name, "US")
            for abbreviation in state.abbreviations where abbreviation.count > 2 || abbreviation.contains(".") {
                table[key(abbreviation)] = (state.name, "US")
            }
        }
        for province in canadianProvinceTable {
            table[key(province.name)] = (province.name, "CA")
            for abbreviation in province.abbreviations where abbreviation.count > 2 || abbreviation.contains(".") {
                table[key(abbreviation)] = (province.name, "CA")
            }
        }
        return table
    }()

    /// Every lowercased key of the country, demonym and region tables (for ``WordFacts``).
    static var countryKeys: Dictionary<String, String>.Keys { countries.keys }
    static var demonymKeys: Dictionary<String, String>.Keys { demonyms.keys }
    static var regionKeys: Dictionary<String, (name: String, code: String)>.Keys { regions.keys }

    /// The ISO 3166-1 alpha-2 code of a country name or alias (`Azerbaijan`, `U.S.`, `South Korea`).
    static func countryCode<S: StringProtocol>(forName name: S) -> String? {
        countries[key(name)]
    }

    /// The country code of a demonym or adjective (`Azerbaijani`, `British`).
    static func countryCode<S: StringProtocol>(forDemonym word: S) -> String? {
        demonyms[key(word)]
    }

    /// A US state or Canadian province by name or abbreviation (`Ore.`, `Calif`, `B.C.`).
    static func region<S: StringProtocol>(_ name: S) -> (name: String, code: String)? {
        regions[key(name)]
    }

    /// The country code for the place part of a dateline: a country, a region of one, or nil.
    static func countryCode<S: StringProtocol>(forPlace place: S) -> String? {
        countryCode(forName: place) ?? region(place)?.code
    }

    /// Lowercased with `’` folded to `'`; the common all-ASCII case costs one pass.
    static func key<S: StringProtocol>(_ text: S) -> String {
        let lower = text.lowercased()
        guard !lower.utf8.allSatisfy({ $0 < 0x80 }) else { return lower }
        return lower.replacing("’", with: "'")
    }

    /// Whether an already lowercased phrase names a country, a region or a city.
    static func isPlace(key: String) -> Bool {
        countries[key] != nil || regions[key] != nil || NameLists.cities[key] != nil
    }

    /// A US state or Canadian province by its already lowercased name or abbreviation.
    static func region(key: String) -> (name: String, code: String)? { regions[key] }

    /// The country code of an already lowercased name (a `Token.lower`).
    static func countryCode(forKey key: String) -> String? { countries[key] }

    /// The country code of an already lowercased demonym.
    static func countryCode(forDemonymKey key: String) -> String? { demonyms[key] }
}

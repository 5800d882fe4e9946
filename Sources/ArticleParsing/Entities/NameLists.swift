/// Look-ups over the generated name tables (`CityData.swift`, `FirstNameData.swift`), parsed once on first
/// use from their text form.
enum NameLists {
    /// Common English names of cities that GeoNames spells otherwise (`New York City`, `Kyiv`).
    private static let cityAliases: [String: String] = [
        "new york": "US", "kiev": "UA", "peking": "CN", "bombay": "IN", "calcutta": "IN", "madras": "IN",
        "saigon": "VN", "rangoon": "MM", "canton": "CN",
    ]

    /// Lowercased city name to country code (the most populous city of that name).
    static let cities: [String: String] = {
        var best: [String: (code: String, population: Int)] = [:]
        for line in cityTableText.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 3, let population = Int(fields[2]) else { continue }
            let key = Gazetteer.key(fields[0])
            if let existing = best[key], existing.population >= population { continue }
            best[key] = (String(fields[1]), population)
        }
        var table = best.mapValues(\.code)
        for (name, code) in cityAliases where table[name] == nil { table[name] = code }
        return table
    }()

    /// Lowercased given names.
    static let firstNames: Set<String> = Set(firstNameText.split(separator: "\n").map { $0.lowercased() })
}

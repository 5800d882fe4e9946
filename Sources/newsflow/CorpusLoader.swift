import Foundation

/// Reads a folder of articles for benchmarks: every regular file is one raw article, except Reuters SGML
/// (`*.sgm`: one article per `<REUTERS>` story, as title + dateline + body text) and JSON files holding an
/// object of article objects (each becomes one raw JSON article). Compressed files (`*.gz`) are skipped.
struct CorpusLoader {
    struct Item {
        var name: String
        var bytes: [UInt8]
    }

    private(set) var items: [Item] = []
    private(set) var skipped = 0

    init(folder: URL) throws {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw CorpusError(message: "cannot read \(folder.path)") }
        var files: [URL] = []
        for case let url as URL in enumerator
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        for url in files.sorted(by: { $0.path < $1.path }) {
            let name = url.lastPathComponent
            if name.hasSuffix(".gz") || name.hasSuffix(".dtd") || name.uppercased().hasPrefix("README") {
                skipped += 1
                continue
            }
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            if name.hasSuffix(".sgm") {
                items += Self.reutersStories(data, file: name)
            } else if name.hasSuffix(".json"), let objects = Self.articleObjects(data) {
                items += objects.enumerated().map { Item(name: "\(name)#\($0.offset)", bytes: $0.element) }
            } else {
                items.append(Item(name: name, bytes: Array(data)))
            }
        }
    }

    /// Total bytes of all items.
    var totalBytes: Int { items.reduce(0) { $0 + $1.bytes.count } }

    private static func reutersStories(_ data: Data, file: String) -> [Item] {
        let text = String(decoding: data, as: UTF8.self)
        var items: [Item] = []
        for (index, story) in text.components(separatedBy: "</REUTERS>").enumerated() {
            guard let body = element("TEXT", in: story) else { continue }
            let title = element("TITLE", in: body) ?? ""
            let dateline = element("DATELINE", in: body) ?? ""
            let main = element("BODY", in: body) ?? ""
            items.append(Item(name: "\(file)#\(index)", bytes: Array((title + "\n\n" + dateline + main).utf8)))
        }
        return items
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)"), let start = text.range(of: ">", range: open.upperBound..<text.endIndex),
              let close = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
        else { return nil }
        return String(text[start.upperBound..<close.lowerBound])
    }

    /// `{"id": {title, articleBody, date, ...}, ...}` or `[{...}, ...]` as one JSON article per object.
    private static func articleObjects(_ data: Data) -> [[UInt8]]? {
        guard let value = try? JSONSerialization.jsonObject(with: data) else { return nil }
        let objects: [Any]
        if let dictionary = value as? [String: Any] {
            objects = dictionary.keys.sorted().compactMap { dictionary[$0] }
        } else if let array = value as? [Any] {
            objects = array
        } else {
            return nil
        }
        return objects.compactMap { object in
            guard JSONSerialization.isValidJSONObject(object),
                  let encoded = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            else { return nil }
            return Array(encoded)
        }
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

import Foundation

/// Reads a raw article given as a JSON object with title / text (or body, articleBody, content) / date /
/// authors fields.
struct JSONArticle {
    var title: String?
    var text: String
    var published: String?
    var authors: [String]

    private static let textKeys = ["text", "body", "articleBody", "article_body", "content", "raw", "description"]
    private static let titleKeys = ["title", "headline", "name"]
    private static let dateKeys = ["date", "published", "published_at", "publishedAt", "datePublished", "pubDate",
                                   "date_published", "created_at"]

    /// Parses `text`; a JSON value that is not an object, or has no text field, is a failure.
    static func parse(_ text: String, maxDepth: Int = 64) -> Result<JSONArticle, ParseFailure> {
        guard Self.depth(of: text) <= maxDepth else {
            return .failure(ParseFailure(.badJSON, "JSON nested deeper than \(maxDepth) levels"))
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            return .failure(ParseFailure(.badJSON, "not valid JSON: \(error.localizedDescription)"))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(ParseFailure(.badJSON, "JSON input must be one object with title and text fields"))
        }
        guard let body = textKeys.lazy.compactMap({ fields[$0] as? String }).first(where: { !$0.isEmpty }) else {
            return .failure(ParseFailure(
                .badJSON, "JSON object has no text field (looked for \(textKeys.joined(separator: ", ")))"))
        }
        let title = titleKeys.lazy.compactMap { fields[$0] as? String }.first
        let date = dateKeys.lazy.compactMap { fields[$0] as? String }.first
        var authors: [String] = []
        if let list = (fields["authors"] ?? fields["author"]) as? [Any] {
            authors = list.compactMap { ($0 as? String) ?? (($0 as? [String: Any])?["name"] as? String) }
        } else if let single = (fields["authors"] ?? fields["author"]) as? String {
            authors = [single]
        }
        return .success(JSONArticle(
            title: title.map { TextCleaner.clean($0) }.flatMap { $0.isEmpty ? nil : $0 }, text: body,
            published: date.flatMap(DateText.normalize), authors: authors))
    }

    /// Deepest nesting of `[` / `{` outside strings, computed without recursion.
    private static func depth(of text: String) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }
}

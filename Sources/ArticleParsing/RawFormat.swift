/// What kind of document raw text is: a JSON object, an HTML page or plain text.
enum RawFormat: Equatable {
    case json, html, text

    /// Decided by the name's extension first, then by the first characters.
    static func detect(_ text: String, name: String?) -> RawFormat {
        let lowerName = name?.lowercased() ?? ""
        let head = text.drop { $0.isWhitespace }.prefix(512).lowercased()
        if lowerName.hasSuffix(".json") || head.hasPrefix("{") { return head.hasPrefix("{") ? .json : .text }
        if lowerName.hasSuffix(".html") || lowerName.hasSuffix(".htm") || head.hasPrefix("<!doctype html")
            || head.hasPrefix("<html") || (head.hasPrefix("<") && (head.contains("<p") || head.contains("<body")))
        {
            return .html
        }
        return .text
    }
}

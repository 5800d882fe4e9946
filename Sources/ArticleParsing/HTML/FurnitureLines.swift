import Foundation

extension ContentExtractor {
    /// Lines that are page furniture wherever they appear: ad, share, follow and sign-up prompts, affiliate
    /// disclosures, copyright lines, picture credits, bare numbers left over from score boxes and tables.
    static func isBoilerplateLine(_ text: String) -> Bool {
        let length = text.utf8.count
        guard length < 500 else { return false }
        // An affiliate disclosure (`... through a link on our site, we may receive compensation`). Most
        // paragraphs are read here, so the bytes are searched as they are, ASCII letters in either case.
        if affiliateDisclosures.contains(where: { containsIgnoringCase(text, $0) }) { return true }
        guard length < 200 else { return false }
        let lower = text.lowercased()
        if !text.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) { return true }
        if lower.contains("all rights reserved") { return true }
        if boilerplatePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
        // `Follow us on Facebook, Instagram and X`, `* Listen on Spotify and Apple Podcasts`.
        let opening = lower.drop { !$0.isLetter }
        if followPrompts.contains(where: { opening.hasPrefix($0) }),
           socialPlatforms.lazy.filter({ lower.contains($0) }).prefix(2).count == 2 {
            return true
        }
        if containsIgnoringCase(text, emailPrompt) { return true }
        guard length < 60 else { return false }
        let bare = lower.trimmingCharacters(in: .punctuationCharacters.union(.whitespaces))
        return boilerplateLines.contains(bare) || lower.hasPrefix("source:")
    }

    private static let boilerplatePrefixes = [
        "advertisement", "article continues below", "story continues below", "continue reading", "copyright ©",
        "copyright 1", "copyright 2", "© ", "credit:", "image credit", "photo credit", "photograph:", "image:",
        "read more:", "related:", "see also:", "sign up for", "click here", "please use chrome", "share this",
        "shop this", "follow us on", "[want great stories", "this story was originally published", "also read",
        "for more information:", "a version of this article appears in print",
    ]

    private static let affiliateDisclosures: [[UInt8]] = [
        "we may receive compensation", "we may earn a commission", "we may earn an affiliate commission",
        "we may receive a commission", "may earn a small commission", "earn a commission from qualifying purchases",
    ].map { Array($0.utf8) }

    private static let emailPrompt = Array("email us at".utf8)

    /// Whether `text` holds `needle` (lowercase ASCII), its ASCII letters compared in either case.
    private static func containsIgnoringCase(_ text: String, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        let bytes = Array(text.utf8)
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == first {
            var offset = 1
            while offset < needle.count, bytes[start + offset] | (needle[offset] >= 0x61 ? 0x20 : 0) == needle[offset] {
                offset += 1
            }
            if offset == needle.count { return true }
        }
        return false
    }

    private static let followPrompts = ["follow ", "listen ", "subscribe ", "like us", "find us", "connect with"]

    private static let socialPlatforms = [
        "facebook", "instagram", "twitter", "tiktok", "youtube", "snapchat", "threads", "linkedin", "whatsapp",
        "spotify", "apple podcasts", "google podcasts",
    ]

    private static let boilerplateLines: Set<String> = [
        "advertisement", "ad", "skip advertisement", "story continues below advertisement",
        "article continues below advertisement", "continue reading", "read more", "supported by",
        "share this article", "share", "sign up", "subscribe", "related", "related articles", "related stories",
        "recommended", "most popular", "more from", "comments", "click to expand", "scroll to continue",
        "scroll to continue with content", "this article is more than 1 year old", "image", "photo", "video",
        "contents", "table of contents", "breaking news", "listen to this article", "print", "email", "comment",
        "getty images", "ap photo", "reuters", "in this article",
    ]
}

/// A file in the drop folder as seen at one scan: its name and a fingerprint of its contents' state.
/// A file whose fingerprint changes is a new article.
struct InboxFile: Hashable, Sendable {
    /// The file name within `inbox/`.
    var name: String
    /// `size:mtime-in-nanoseconds`.
    var fingerprint: String
}

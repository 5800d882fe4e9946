import Foundation

/// RFC 3339 timestamps in UTC with millisecond precision, the form every newsflow time field uses.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `date` as e.g. `2026-11-29T03:25:20.123Z`.
    public static func rfc3339(_ date: Date) -> String { style.format(date) }

    /// Now, as RFC 3339.
    public static func now() -> String { rfc3339(Date()) }
}

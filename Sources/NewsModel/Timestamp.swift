import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// RFC 3339 timestamps in UTC with millisecond precision, the form every newsflow time field uses.
public enum Timestamp {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// `date` as e.g. `2026-11-29T03:25:20.123Z`.
    public static func rfc3339(_ date: Date) -> String { style.format(date) }

    /// Now, as RFC 3339. The fetcher stamps every article with it, so it is written from the clock's
    /// milliseconds directly rather than through a calendar (the same text, a test checks).
    public static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return rfc3339(milliseconds: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }

    /// Milliseconds since 1970-01-01T00:00:00Z as RFC 3339, for years 0 to 9999.
    public static func rfc3339(milliseconds: Int64) -> String {
        let (days, dayMilliseconds) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civil(days: days)
        let seconds = dayMilliseconds / 1000
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: 24)
        func put(_ value: Int64, at end: Int, digits: Int) {
            var rest = value
            for offset in 0..<digits {
                text[end - offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(year, at: 3, digits: 4)
        text[4] = UInt8(ascii: "-")
        put(month, at: 6, digits: 2)
        text[7] = UInt8(ascii: "-")
        put(day, at: 9, digits: 2)
        text[10] = UInt8(ascii: "T")
        put(seconds / 3600, at: 12, digits: 2)
        text[13] = UInt8(ascii: ":")
        put(seconds / 60 % 60, at: 15, digits: 2)
        text[16] = UInt8(ascii: ":")
        put(seconds % 60, at: 18, digits: 2)
        text[19] = UInt8(ascii: ".")
        put(dayMilliseconds % 1000, at: 22, digits: 3)
        text[23] = UInt8(ascii: "Z")
        return String(decoding: text, as: UTF8.self)
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor - (value % divisor < 0 ? 1 : 0)
        return (quotient, value - quotient * divisor)
    }

    /// The proleptic Gregorian date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
    private static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = floorDivision(shifted, 146_097).0
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

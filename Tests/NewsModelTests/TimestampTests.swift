import Foundation
import NewsModel
import Testing

@Suite("Timestamps")
struct TimestampTests {
    /// The fetcher's clock is written by arithmetic; it must read exactly as Foundation's ISO 8601 style
    /// writes the same instant, across leap years, century rules, month ends and the years before 1970.
    @Test func millisecondsReadAsFoundationWritesThem() {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var samples: [Int64] = [0, 1, 999, 86_399_999, 86_400_000, -1, -86_400_000, 951_782_400_000, 951_868_799_999,
                                4_107_542_399_999, 253_402_300_799_999, -2_208_988_800_000]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1900 to 9999 (before the Gregorian reform calendars differ in what they call a date).
            samples.append(Int64(state >> 16) % 255_611_289_600_000 - 2_208_988_800_000)
        }
        for milliseconds in samples {
            // A quarter of a millisecond in, so Foundation's rounding of the binary fraction cannot tip it.
            let date = Date(timeIntervalSince1970: (Double(milliseconds) + 0.25) / 1000)
            #expect(Timestamp.rfc3339(milliseconds: milliseconds) == style.format(date), "\(milliseconds)")
        }
    }

    @Test func nowIsTheClockInUTC() throws {
        let before = Date()
        let now = Timestamp.now()
        let after = Date()
        let strategy = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let parsed = try #require(try? Date(now, strategy: strategy))
        #expect(parsed.timeIntervalSince(before) > -0.002 && after.timeIntervalSince(parsed) > -0.002, "\(now)")
        #expect(now.count == 24 && now.hasSuffix("Z"))
    }
}

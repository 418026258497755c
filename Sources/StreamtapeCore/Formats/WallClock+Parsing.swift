/// Reading the timestamps `WallClock.iso(ms:)` writes.
extension WallClock {
    /// Parses RFC 3339 text (`2026-11-26T07:00:00.123Z`, fraction optional, `Z` or `±HH:MM`) into milliseconds
    /// since 1970; nil when it is not such a timestamp or falls outside years 0001–9999.
    ///
    /// The calendar is the proleptic Gregorian one that `iso(ms:)` (gmtime) writes, so every accepted
    /// timestamp writes back as the same instant; Foundation's formatter switches to the Julian calendar
    /// before 1582 and shifted early dates by days.
    public static func parse(_ text: String) -> Int64? {
        var scan = Scanner(Array(text.utf8))
        guard let year = scan.digits(4), scan.take("-"), let month = scan.digits(2), scan.take("-"), let day = scan.digits(2),
              scan.take("T") || scan.take("t"), let hour = scan.digits(2), scan.take(":"), let minute = scan.digits(2),
              scan.take(":"), let second = scan.digits(2) else { return nil }
        var ms: Int64 = 0
        if scan.take(".") {
            var fraction: [Int] = []
            while let d = scan.digits(1) { fraction.append(d) }
            guard !fraction.isEmpty else { return nil }
            let f = Array((fraction + [0, 0, 0, 0]).prefix(4))
            ms = Int64(f[0] * 100 + f[1] * 10 + f[2] + (f[3] >= 5 ? 1 : 0))   // to the millisecond, half up
        }
        var offsetMinutes: Int64 = 0
        if !(scan.take("Z") || scan.take("z")) {
            let sign: Int64? = scan.take("+") ? 1 : scan.take("-") ? -1 : nil
            guard let sign, let oh = scan.digits(2), scan.take(":"), let om = scan.digits(2), oh <= 23, om <= 59 else { return nil }
            offsetMinutes = sign * Int64(oh * 60 + om)
        }
        guard scan.atEnd, year >= 1, (1...12).contains(month), (1...daysIn(month, of: year)).contains(day),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        let days = daysFromEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetMinutes * 60
        let total = seconds * 1000 + ms
        return writableMs.contains(total) ? total : nil
    }

    /// Days in a month of the proleptic Gregorian calendar.
    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// A cursor over ASCII bytes.
    private struct Scanner {
        let bytes: [UInt8]
        var at = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var atEnd: Bool { at == bytes.count }

        /// Takes `c` when it is next.
        mutating func take(_ c: Character) -> Bool {
            guard at < bytes.count, bytes[at] == c.asciiValue else { return false }
            at += 1
            return true
        }

        /// Takes exactly `n` decimal digits and returns their value.
        mutating func digits(_ n: Int) -> Int? {
            guard at + n <= bytes.count else { return nil }
            var value = 0
            for b in bytes[at..<at + n] {
                guard (0x30...0x39).contains(b) else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            at += n
            return value
        }
    }
}

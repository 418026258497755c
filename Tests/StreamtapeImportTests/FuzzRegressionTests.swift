import Foundation
import StreamtapeCore
import Testing
@testable import StreamtapeImport

/// Inputs the `cassette` and `har` fuzz targets found (fuzz/README.md), kept as they were in
/// Fixtures/regressions/ (`cassette-*` are cassettes, `har-*` HAR files): each reads to exactly this one line.
@Suite struct FuzzRegressionTests {
    @Test(arguments: [
        // libyaml's reader error: Yams describes it over three lines (the offending line and a caret).
        ("cassette-control-character.yaml", "line 44: not valid YAML: control characters are not allowed"),
        // A key with an escaped line break (`\n`), quoted in the error: it used to break the line.
        // A `wait` of 1e300 ms trapped converting to nanoseconds (found reading what the har target
        // reaches, confirmed with its binary).
        ("har-timings-1e300.har", #"line 1: entry 1: "timings" must add up to less than 1e12 ms"#),
        ("har-escaped-newline-in-key.har", #"line 1: not valid JSON: expected ':' after key "nam0vw;margin:15vh auto;font-family:system-ui,sans-serif}h1{font-size:1.5em}div{opacity:0.8}a:link,a:visited{color:#348}</style><body><div><h1>Example Domain</h1><p>This domain is for use in documentation examples without needing permission. Avoid use in operations.<p><a href="https://iana.org/domains/example">Learn more</a></div></body></html>\n""#),
    ])
    func aFuzzFindingReadsToItsOneLineResult(name: String, expected: String) throws {
        let bytes = try ImportFixtures.bytes("regressions/" + name)
        #expect(Self.result(name.hasPrefix("har-") ? { () throws(ImportError) in try HARReader.read(bytes) }
                                                   : { () throws(ImportError) in try CassetteReader.read(bytes) }) == expected)
    }

    /// `N exchanges`, or the error's one line.
    private static func result(_ read: () throws(ImportError) -> [Exchange]) -> String {
        do { return "\(try read().count) exchanges" } catch { return error.description }
    }
}

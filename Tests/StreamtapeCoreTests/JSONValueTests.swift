import Testing
@testable import StreamtapeCore

@Suite struct JSONValueTests {
    private func j(_ s: String) -> JSONValue { JSONValue.parse(Array(s.utf8))! }

    @Test func keyOrderWhitespaceAndNumberSpellingAreIgnored() {
        #expect(j(#"{"b": [1, 2.0, {"y":true,"x":null}], "a":"s"}"#).canonical == #"{"a":"s","b":[1,2,{"x":null,"y":true}]}"#)
        #expect(j(#" {"a":1e2} "#) == j(#"{"a":100}"#))
        #expect(j(#"{"a":1.5}"#) != j(#"{"a":1.25}"#))
    }

    @Test func booleansAreNotNumbersAndArraysKeepOrder() {
        #expect(j(#"{"a":true}"#) != j(#"{"a":1}"#))
        #expect(j("[1,2]") != j("[2,1]"))
    }

    @Test func escapesAndSurrogatesDecode() {
        #expect(j(#""a\"\\\n\u00e9\ud83d\ude00""#) == .string("a\"\\\né😀"))
        #expect(j(#""\u0001""#).canonical == #""\u0001""#)
    }

    @Test func invalidJSONIsRejected() {
        for bad in ["", "{", #"{"a":}"#, "[1,]", "01", "tru", #"{"a":1} x"#, "\"\u{01}\""] {
            #expect(JSONValue.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func stringsMustBeUTF8OnBothSidesOfAnEscape() {
        #expect(j("\"é\\n✓\"") == .string("é\n✓"))
        #expect(j("{\"ключ\":\"日本\"}")["ключ"] == .string("日本"))
        // 0xC3 starts a two-byte character; an escape in between leaves it cut, and a lone 0xE9 is Latin-1.
        for bad: [UInt8] in [[0x22, 0xC3, 0x5C, 0x6E, 0xA9, 0x22], [0x22, 0x61, 0xE9, 0x22], [0x22, 0x5C, 0x6E, 0xE9, 0x22],
                             [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]] {
            #expect(JSONValue.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func ignoreFieldRemovesTopLevelNestedAndWildcardPaths() {
        let v = j(#"{"user":"u1","metadata":{"session":"s","keep":1},"messages":[{"id":1,"c":"a"},{"id":2,"c":"b"}]}"#)
        #expect(v.removing(fields: ["user", "metadata.session", "messages.*.id"]).canonical
            == #"{"messages":[{"c":"a"},{"c":"b"}],"metadata":{"keep":1}}"#)
        #expect(v.removing(fields: ["messages.0"]).canonical == #"{"messages":[{"c":"b","id":2}],"metadata":{"keep":1,"session":"s"},"user":"u1"}"#)
        #expect(v.removing(fields: ["absent.path"]) == v)
    }

    @Test func differencesNamePathsAndValues() {
        let got = j(#"{"model":"a","messages":[{"content":"hi"}],"extra":1}"#)
        let rec = j(#"{"model":"b","messages":[{"content":"hello"}],"stream":true}"#)
        #expect(got.differences(from: rec) == [
            "$.extra: got 1, not in the recording",
            #"$.messages[0].content: got "hi", recorded "hello""#,
            #"$.model: got "a", recorded "b""#,
            "$.stream: missing, recorded true",
        ])
    }

    @Test func numbersAreExactIntsOnlyWhenIntegralAndInRange() {
        #expect(j("2").intValue == 2)
        #expect(j("2.0").intValue == 2)
        #expect(j("-3e2").intValue == -300)
        #expect(j("2.5").intValue == nil)
        #expect(j("9223372036854775807").intValue == Int.max)
        #expect(j("9223372036854775808").intValue == nil)
        #expect(j("1e300").intValue == nil)
        #expect(j("true").intValue == nil)
        #expect(j("1").boolValue == nil)
    }

    @Test func canonicalNumbersCompareInDecimalWithoutRounding() {
        #expect(j("[0.2e1, 2.50, -0, 1e21, 1e20, 0.000001, 1.5e-7, 123456789012345678901234567890]").canonical
            == "[2,2.5,0,1e21,100000000000000000000,0.000001,1.5e-7,1.2345678901234567890123456789e29]")
        #expect(j("12345678901234567890") != j("12345678901234567891"))
        #expect(j("0.1") != j("0.10000000000000001"))
    }

    @Test func aRepeatedKeyReadsAsItsLastValueEverywhere() {
        let v = j(#"{"a":1,"b":2,"a":3}"#)
        #expect(v["a"] == .number("3"))
        #expect(v.canonical == #"{"a":3,"b":2}"#)
        #expect(v == j(#"{"b":2,"a":3}"#))
        guard case .object(let members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["a", "b", "a"])
    }

    @Test func loneSurrogatesReadAsReplacementAndBadEscapesAreRejected() {
        #expect(j(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(j(#""x\ude00y""#) == .string("x\u{FFFD}y"))
        for bad in ["1e400", "-1e309", "1" + String(repeating: "0", count: 400), #""\ud83d\u0041""#, #""\x""#, #""\u12g4""#, #""abc"#, "-", "1.", "1e", "[1 2]", #"{"a" 1}"#, "nul"] {
            #expect(JSONValue.parse(bad) == nil, "\(bad)")
        }
        #expect(JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) == nil)   // invalid UTF-8 is not replaced
        #expect(JSONValue.parse("1e-400") == .number("1e-400"))
        #expect(JSONValue.parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) == nil)
        #expect(JSONValue.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)) != nil)
    }
}

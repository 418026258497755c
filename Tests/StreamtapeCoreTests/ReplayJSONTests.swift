import Testing
@testable import StreamtapeCore

@Suite struct ReplayJSONTests {
    private func j(_ s: String) -> ReplayJSON { ReplayJSON.parse(Array(s.utf8))! }

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
            #expect(ReplayJSON.parse(Array(bad.utf8)) == nil, "\(bad)")
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
}

import Testing
@testable import StreamtapeCore

/// `JSONShape` rules out only joins that cannot parse, and lets through every JSON text.
@Suite struct JSONShapeTests {
    private func shape(_ pieces: String...) -> JSONShape {
        var s = JSONShape()
        for p in pieces { s.scan(p) }
        return s
    }

    @Test func everyPieceOfAJSONTextCutAnywhereStaysViableAndTheWholeBalances() {
        let text = #"  {"a":[1,{"b":"x}]\"y{["}],"c":"\\","d":true} "#
        for cut in text.indices {
            let s = shape(String(text[..<cut]), String(text[cut...]))
            #expect(s.viable && s.balanced, "cut at \(text.distance(from: text.startIndex, to: cut))")
        }
    }

    @Test func bracketsAndQuotesInsideStringsDoNotCount() {
        #expect(!shape(#"{"a":"}"#).balanced)
        #expect(shape(#"{"a":"}"#, #"x"}"#).balanced)
        #expect(!shape(#"["\"]"#).balanced)
        #expect(shape(#"["\\"]"#).balanced)
    }

    @Test func aClosingBracketWithoutItsOpenerIsNeverViable() {
        #expect(!shape("]").viable)
        #expect(!shape("{}", "}").viable)
        #expect(!shape("]", "[").viable)
    }

    @Test func textAfterAWholeTopLevelContainerOrStringIsNeverViable() {
        #expect(!shape(#"{"a":1}"#, #" {"b":2}"#).viable)
        #expect(!shape(#""ab" x"#).viable)
        #expect(shape(#"{"a":1}"#, " \r\n\t").balanced)
    }

    @Test func scalarsAndOpenContainersStayViable() {
        #expect(shape("tru", "e").balanced)
        #expect(shape("12", "34").balanced)
        #expect(shape("{", "[").viable && !shape("{", "[").balanced)
        #expect(!shape(#""open"#).balanced)
    }
}

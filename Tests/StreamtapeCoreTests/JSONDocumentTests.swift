import Testing
@testable import StreamtapeCore

/// The flat reader and its views, as the dialects read events through them.
@Suite struct JSONDocumentTests {
    /// Reads `text` with a fresh document and returns what `body` makes of its root.
    private func read<R>(_ text: String, _ body: (JSONView?) -> R) -> R {
        var document = JSONDocument()
        return document.withRoot(of: text, body)
    }

    private func read<R>(_ bytes: [UInt8], _ body: (JSONView?) -> R) -> R {
        var document = JSONDocument()
        return bytes.withUnsafeBufferPointer { document.withRoot(of: $0, body) }
    }

    @Test func membersAreFoundByKeyTheLastRepeatWinsAndEscapedKeysMatch() {
        read(#"{"a":1,"b":{"c":"x","a":9},"a":3,"d\u0031":"e","":"empty"}"#) { root in
            #expect(root?.jsonInt("a") == 3)
            #expect(root?.jsonObject("b")?.jsonString("c") == "x")
            #expect(root?.jsonObject("b")?.jsonInt("a") == 9)
            #expect(root?.jsonString("d1") == "e")
            #expect(root?.jsonString("") == "empty")
            #expect(root?["ab"] == nil && root?["c"] == nil)
            #expect(root?.jsonObject("a") == nil && root?.jsonString("a") == nil)
        }
    }

    @Test func integersFollowTheTreeRules() {
        let cases: [(String, Int?)] = [
            ("0", 0), ("-12", -12), ("12.0", 12), ("1e2", 100), ("-3e2", -300), ("2.5", nil),
            ("123456789012345678", 123_456_789_012_345_678), ("-999999999999999999", -999_999_999_999_999_999),
            ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("9223372036854775808", nil),
            ("1e300", nil), ("true", nil), (#""1""#, nil),
        ]
        for (text, expected) in cases {
            #expect(read(text) { $0?.intValue } == expected, "\(text)")
            #expect(JSONValue.parse(text)?.intValue == expected, "\(text)")
        }
        #expect(read("true") { $0?.boolValue } == true)
        #expect(read("1") { $0?.boolValue } == nil)
        #expect(read("null") { $0?.isNull } == true)
    }

    @Test func arrayElementsComeInOrderWithNestedValuesSkippedWhole() {
        read(#"{"xs":[1,[2,3],{"x":[4,5]},"s",[]],"n":null}"#) { root in
            let xs = root?.jsonArray("xs")
            #expect(xs?.count == 5)
            #expect(xs?.map { $0.value.canonical } == ["1", "[2,3]", #"{"x":[4,5]}"#, #""s""#, "[]"])
            #expect(xs?.first?.intValue == 1)
            #expect(root?.jsonArray("n") == nil && root?.jsonArray("missing") == nil)
            #expect(JSONView.Elements.none.isEmpty)
        }
    }

    @Test func theTreeBuiltFromAViewKeepsOrderRepeatsAndLiterals() {
        let text = #"{"b":[true,false,null,-0.50e+1],"a":"\u00e9\n","b":{}}"#
        guard case .object(let members)? = read(text, { $0?.value }) else { Issue.record("not an object"); return }
        #expect(members.map(\.0) == ["b", "a", "b"])
        #expect(members[0].1 == .array([.bool(true), .bool(false), .null, .number("-0.50e+1")]))
        #expect(members[1].1 == .string("é\n"))
    }

    /// A quote, a backslash, a control character or a non-ASCII byte at every place of a 20-byte string,
    /// so each lands in every lane of the eight-byte scan and in the byte-by-byte tail.
    @Test func stringsAreCheckedWhereverTheSpecialByteFalls() {
        let plain = Array(repeating: UInt8(ascii: "a"), count: 20)
        for at in 0..<20 {
            func with(_ bytes: [UInt8]) -> [UInt8] { [0x22] + plain[..<at] + bytes + plain[at...] + [0x22] }
            let prefix = String(repeating: "a", count: at), suffix = String(repeating: "a", count: 20 - at)
            #expect(read(with([0x01])) { $0?.stringValue } == nil, "control at \(at)")
            #expect(read(with([0xFF])) { $0?.stringValue } == nil, "invalid UTF-8 at \(at)")
            #expect(read(with([0x22])) { $0?.stringValue } == nil, "early quote at \(at)")
            #expect(read(with([0xC3, 0xA9])) { $0?.stringValue } == prefix + "é" + suffix, "é at \(at)")
            #expect(read(with([0x5C, 0x6E])) { $0?.stringValue } == prefix + "\n" + suffix, "escape at \(at)")
        }
    }

    /// The closing quote is found before decoding: runs of backslashes decide which quote closes.
    @Test func theQuoteAfterAnEvenRunOfBackslashesClosesTheString() {
        let cases: [(String, String?)] = [
            (#""a\\""#, "a\\"), (#""a\"b""#, "a\"b"), (#""\\\"x""#, "\\\"x"), (#""x\u005C""#, "x\\"),
            (#""\ud83d\ude00!\n""#, "😀!\n"), (#""a\""#, nil), (#""abc\"#, nil), (#""a\u12"#, nil), (#""\ud83d\u0041""#, nil),
            (#""a\n\u0001""#, "a\n\u{01}"), ("\"a\\n\u{01}\"", nil),
        ]
        for (text, expected) in cases {
            #expect(read(text) { $0?.stringValue } == expected, "\(text)")
        }
        #expect(read(#"{"k\"":"v\\","n":1}"#) { root in [root?.jsonString("k\""), root?.jsonString("n")] } == ["v\\", nil])
        #expect(read(#"["\"]","x"]"#) { $0?.arrayValue?.map(\.stringValue) } == ["\"]", "x"])
    }

    @Test func bytesThatAreNotUTF8BeforeAnEscapeAreRefused() {
        #expect(read([0x22, 0xE9, 0x5C, 0x6E, 0x22]) { $0 == nil })
        #expect(JSONValue.parse([0x22, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61, 0xE9, 0x5C, 0x6E, 0x22]) == nil)
        #expect(read([0x22, 0xC3, 0xA9, 0x5C, 0x6E, 0x22]) { $0?.stringValue } == "é\n")
    }

    @Test func aReusedDocumentKeepsNothingOfTheTextBefore() {
        var document = JSONDocument()
        let first = document.withRoot(of: #"{"a":"x\ty","k":[1,2,3]}"#) { $0?.jsonString("a") }
        let second = document.withRoot(of: #"{"b":"z\n"}"#) { root in [root?.jsonString("b"), root?.jsonString("a")] }
        let third = document.withRoot(of: "{") { $0 == nil }
        let fourth = document.withRoot(of: "[7]") { $0?.arrayValue?.map(\.intValue) }
        #expect(first == "x\ty")
        #expect(second == ["z\n", nil])
        #expect(third)
        #expect(fourth == [7])
    }
}

@Suite struct UTF8CheckTests {
    @Test func theFirstBadByteIsFoundInEveryLaneOfTheASCIISkip() {
        for at in 0..<24 {
            var bytes = Array(repeating: UInt8(ascii: "x"), count: 24)
            bytes[at] = 0xFF
            #expect(UTF8Check.invalid(in: bytes)?.first == at && UTF8Check.invalid(in: bytes)?.count == 1, "at \(at)")
            #expect(!bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) }, "at \(at)")
            bytes[at] = 0x41
            #expect(UTF8Check.invalid(in: bytes) == nil && bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) })
        }
        // A character cut at the end of the ASCII run, and two bad sequences counted apart.
        #expect(UTF8Check.invalid(in: Array("abcdefgh".utf8) + [0xE6, 0x97])?.first == 8)
        #expect(UTF8Check.invalid(in: Array("abcdefghij".utf8) + [0xC3] + Array("klmnopqrst".utf8) + [0xFF])?.count == 2)
    }
}

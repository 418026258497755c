import Testing
@testable import StreamtapeInspect

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoColumnsAndAreNotSplitAtTheEdge() {
        var b = ScreenBuffer(width: 6, height: 1)
        let end = b.put("a日本", row: 0, col: 0)
        #expect(end == 5)
        #expect(b[0, 1].char == "日" && b[0, 2].char == nil && b[0, 3].char == "本")
        var c = ScreenBuffer(width: 4, height: 1)
        c.put("ab日本", row: 0, col: 0)
        #expect(c.line(0) == "ab日")   // 本 would need columns 4–5
    }

    @Test func controlCharactersAreDrawnAsDotsAndClipped() {
        var b = ScreenBuffer(width: 5, height: 2)
        b.put("a\tb\u{1B}cdef", row: 1, col: 0)
        #expect(b.text == "\na·b·c")
    }

    @Test func displayWidthCountsCJKEmojiAndCombiningMarks() {
        #expect(DisplayWidth.of("héllo") == 5)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.truncate("日本語テキスト", to: 7) == "日本語…")
    }
}

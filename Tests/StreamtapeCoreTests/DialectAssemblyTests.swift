import Testing
@testable import StreamtapeCore

/// Assembly cases the corpus does not cover.
@Suite struct DialectAssemblyTests {
    private func assemble(_ dialect: Dialect, _ body: String) -> Assembly {
        var assembler = Assembler(dialect: dialect)
        for event in SSEParser.parse(chunks: [Array(body.utf8)], framing: dialect.framing).events { assembler.add(event) }
        return assembler.assembly
    }

    @Test func chatReasoningContentAndRefusal() {
        let body = """
        data: {"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}

        data: {"choices":[{"index":0,"delta":{"refusal":"I can't help with that."}}]}

        data: {"choices":[{"index":1,"delta":{"content":"other choice"}}]}

        data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}


        """
        #expect(assemble(.openaiChat, body) == Assembly(text: "I can't help with that.", reasoning: "think", stop: "stop"))
    }

    @Test func responsesArgumentsOnlyInDoneEvent() {
        let body = """
        data: {"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":""}}

        data: {"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":0,"arguments":"{\\"a\\":1}"}

        data: {"type":"response.incomplete","response":{"status":"incomplete"}}


        """
        #expect(assemble(.openaiResponses, body) == Assembly(toolCalls: [ToolCall(id: "call_1", name: "f", arguments: #"{"a":1}"#)], stop: "incomplete"))
    }

    @Test func geminiFunctionCallArgumentsAreSortedJSON() {
        let body = """
        data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"get_weather","args":{"unit":"c","city":"Paris/FR"}}}]},"finishReason":"STOP"}]}


        """
        #expect(assemble(.gemini, body) == Assembly(toolCalls: [ToolCall(name: "get_weather", arguments: #"{"city":"Paris/FR","unit":"c"}"#)], stop: "STOP"))
    }

    @Test func assemblerShowsTheAnswerAsOfEachEvent() {
        let events = SSEParser.parse(chunks: [Array((DiagExchange.chat("a") + DiagExchange.chat("b") + DiagExchange.done).utf8)]).events
        var assembler = Assembler(dialect: .openaiChat)
        var seen: [String] = []
        for event in events { assembler.add(event); seen.append(assembler.assembly.text) }
        #expect(seen == ["a", "ab", "ab"])
    }
}

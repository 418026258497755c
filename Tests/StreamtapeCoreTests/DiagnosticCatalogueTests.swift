import Foundation
import Testing
@testable import StreamtapeCore

/// Anthropic events for inline streams.
private enum Claude {
    static let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n"
    static func blockStart(_ i: Int) -> String {
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":\(i),\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    }
    static func delta(_ i: Int, _ text: String, name: String = "content_block_delta") -> String {
        "event: \(name)\ndata: {\"type\":\"content_block_delta\",\"index\":\(i),\"delta\":{\"type\":\"text_delta\",\"text\":\"\(text)\"}}\n\n"
    }
    static func blockStop(_ i: Int, name: String = "content_block_stop") -> String {
        "event: \(name)\ndata: {\"type\":\"content_block_stop\",\"index\":\(i)}\n\n"
    }
    static let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
    static let overloaded = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
}

/// One Responses event with a sequence number.
private func responses(_ type: String, _ seq: Int, _ extra: String = "") -> String {
    "event: \(type)\ndata: {\"type\":\"\(type)\",\"sequence_number\":\(seq)\(extra)}\n\n"
}

private func count(_ parts: String...) -> Int { parts.reduce(0) { $0 + $1.utf8.count } }

@Suite struct DiagnosticCatalogueTests {
    // MARK: unterminated-event

    @Test func unterminatedEventFiresWhenTheStreamEndsInsideAnEvent() {
        #expect(DiagExchange.spots(DiagExchange.raw("data: a\n\ndata: b")) == [FindingSpot("unterminated-event", .error, 9, nil)])
        let body = DiagExchange.chat("Hi") + "data: {\"obj"
        #expect(DiagExchange.spots(DiagExchange.exchange(body)) == [FindingSpot("unterminated-event", .error, count(DiagExchange.chat("Hi")), nil),
                                                    FindingSpot("missing-terminator", .error, count(body), nil)])
    }

    @Test func anUnterminatedEndMarkerIsOnlyUnterminatedEvent() {
        // One finding per cause: when the event the stream ends inside is the end marker itself, the marker
        // is not also reported missing (missing-terminator is dropped); unterminated-event names the cause.
        let body = DiagExchange.chat("Hi", finish: "stop") + "data: [DONE]\n"
        #expect(DiagExchange.spots(DiagExchange.exchange(body)) == [FindingSpot("unterminated-event", .error, count(DiagExchange.chat("Hi", finish: "stop")), nil)])
        let claude = Claude.start + Claude.blockStart(0) + Claude.delta(0, "Hi") + Claude.blockStop(0)
        let spots = DiagExchange.spots(DiagExchange.exchange(claude + String(Claude.stop.dropLast()), target: "/v1/messages"))
        #expect(spots == [FindingSpot("unterminated-event", .error, count(claude), nil)])
    }

    @Test func unterminatedEventDoesNotFireWhenAFinalCRBlankLineEndsTheStream() {
        #expect(DiagExchange.spots(DiagExchange.raw("data: a\r\rdata: b\r\r")) == [])
    }

    // MARK: invalid-utf8

    @Test func invalidUTF8ReportsTheByteOffsetInTheJoinedBody() {
        let bytes = Array("data: caf".utf8) + [0xC3] + Array("\n\n".utf8)
        let findings = Analysis.analyze(DiagExchange.raw(bytes)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("invalid-utf8", .error, 9, 0)])
        #expect(findings.first?.message.hasPrefix("byte 9 of the body is not valid UTF-8;") == true)
    }

    @Test func invalidUTF8DoesNotFireWhenAChunkBoundaryCutsACharacter() {
        let bytes = Array("data: café\n\n".utf8)          // é is C3 A9 at offsets 9 and 10
        let exchange = DiagExchange.exchange([(0.2, Array(bytes[..<10])), (0.3, Array(bytes[10...]))], target: "")
        #expect(DiagExchange.spots(exchange) == [])
    }

    // MARK: unknown-field

    @Test func unknownFieldFiresOnATypoAndOnJSONWithoutDataPrefix() {
        #expect(DiagExchange.spots(DiagExchange.raw("dta: x\ndata: y\n\n")) == [FindingSpot("unknown-field", .warning, 0, 0)])
        let body = DiagExchange.chat("Hi") + "{\"choices\":[]}\n\n" + DiagExchange.done
        let findings = Analysis.analyze(DiagExchange.exchange(body)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("unknown-field", .warning, count(DiagExchange.chat("Hi")), 1)])
        #expect(findings.first?.message.contains("without a \"data:\" prefix") == true)
    }

    @Test func unknownFieldDoesNotFireOnComments() {
        #expect(DiagExchange.spots(DiagExchange.raw(": keep-alive\ndata: y\n\n")) == [])
    }

    // MARK: mixed-line-endings

    @Test func mixedLineEndingsPointsAtTheFirstEndingOfAnotherKind() {
        let findings = Analysis.analyze(DiagExchange.raw("data: a\n\ndata: b\r\n\r\n")).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("mixed-line-endings", .warning, 16, 1)])
        #expect(findings.first?.message.contains("LF 2, CRLF 2, CR 0") == true)
    }

    @Test func mixedLineEndingsDoesNotFireOnCRLFOnly() {
        #expect(DiagExchange.spots(DiagExchange.raw("data: a\r\n\r\ndata: b\r\n\r\n")) == [])
    }

    // MARK: invalid-json

    @Test func invalidJSONFiresOnDataThatDoesNotParse() {
        let findings = Analysis.analyze(DiagExchange.exchange("data: {\"choices\":[}\n\n" + DiagExchange.done)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("invalid-json", .error, 0, 0)])
        #expect(findings.first?.message == "the data of event 0 is not valid JSON (\"{\"choices\":[}\"), so an OpenAI Chat Completions client fails to parse it")
    }

    @Test func twoBrokenEventsThatDoNotJoinAreTwoInvalidJSONFindings() {
        let first = "data: {\"a\":\n\n"
        #expect(DiagExchange.spots(DiagExchange.exchange(first + "data: ]\n\n" + DiagExchange.done))
            == [FindingSpot("invalid-json", .error, 0, 0), FindingSpot("invalid-json", .error, count(first), 1)])
    }

    @Test func invalidJSONDoesNotFireOnEscapesOrTheDoneSentinel() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("line\\nbreak \\\"quoted\\\"") + DiagExchange.done)) == [])
    }

    // MARK: json-split-across-events

    @Test func jsonSplitAcrossEventsFiresOnceForTheRun() {
        let cut = "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\n\ndata: lo\"}}]}\n\n"
        let analysis = Analysis.analyze(DiagExchange.exchange(DiagExchange.chat("Hi") + cut + DiagExchange.done))
        #expect(analysis.findings.map(FindingSpot.init) == [FindingSpot("json-split-across-events", .error, count(DiagExchange.chat("Hi")), 1)])
        #expect(analysis.findings.first?.message.contains("events 1–2") == true)
        #expect(analysis.assembly.text == "Hi")
    }

    @Test func jsonSplitAcrossEventsSeesThroughBracketsAndEscapedQuotesInStrings() {
        let cut = "data: {\"choices\":[{\"delta\":{\"content\":\"a}]\\\"\n\ndata: {[b\n\ndata: \"}}]}\n\n"
        let analysis = Analysis.analyze(DiagExchange.exchange(DiagExchange.chat("Hi") + cut + DiagExchange.done))
        #expect(analysis.findings.map(FindingSpot.init) == [FindingSpot("json-split-across-events", .error, count(DiagExchange.chat("Hi")), 1)])
        #expect(analysis.findings.first?.message.contains("events 1–3") == true)
    }

    @Test func aStrayClosingBracketIsInvalidJSONAndTheSplitAfterItIsStillFound() {
        let stray = "data: ]}\n\n"
        let body = stray + "data: {\"a\":\n\ndata: 1}\n\n" + DiagExchange.done
        #expect(DiagExchange.spots(DiagExchange.exchange(body))
            == [FindingSpot("invalid-json", .error, 0, 0), FindingSpot("json-split-across-events", .error, count(stray), 1)])
    }

    @Test func invalidJSONQuotesAtMost60CharactersWithLineFeedsShown() {
        let body = "data: {\"a\":\ndata: \"" + String(repeating: "é", count: 70) + "\n\n" + DiagExchange.done
        let findings = Analysis.analyze(DiagExchange.exchange(body)).findings
        // `{"a":`, the line feed joining the data lines and `"` are 7 characters; 53 of the é make 60.
        #expect(findings.map(\.message) == ["the data of event 0 is not valid JSON (\"{\"a\":\\n\"" + String(repeating: "é", count: 53)
                                              + "…\"), so an OpenAI Chat Completions client fails to parse it"])
    }

    @Test func jsonOverTwoDataLinesOfOneEventIsNotSplit() {
        let body = "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\ndata: \"delta\":{\"content\":\"Hi\"}}]}\n\n" + DiagExchange.done
        let analysis = Analysis.analyze(DiagExchange.exchange(body))
        #expect(analysis.findings == [])
        #expect(analysis.assembly.text == "Hi")
    }

    // MARK: error-event

    @Test func errorEventNamesTheErrorTypeMidStream() {
        let body = Claude.start + Claude.blockStart(0) + Claude.delta(0, "Hel") + Claude.overloaded
        let analysis = Analysis.analyze(DiagExchange.exchange(body, target: "/v1/messages"))
        let offset = count(Claude.start, Claude.blockStart(0), Claude.delta(0, "Hel"))
        #expect(analysis.findings == [Finding(code: "error-event", severity: .error, offset: offset, event: 3,
                                              message: "the provider sent an overloaded_error mid-stream (\"Overloaded\"); the answer stops here")])
        #expect(analysis.assembly.text == "Hel")
        #expect(analysis.assembly.errors == [StreamError(type: "overloaded_error", message: "Overloaded", event: 3)])
    }

    @Test func errorEventFromAnOpenAIErrorObject() {
        let body = DiagExchange.chat("Hi") + "data: {\"error\":{\"message\":\"Rate limit\",\"type\":\"rate_limit_error\"}}\n\n"
        let findings = Analysis.analyze(DiagExchange.exchange(body)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("error-event", .error, count(DiagExchange.chat("Hi")), 1)])
        #expect(findings.first?.message == "the provider sent a rate_limit_error mid-stream (\"Rate limit\"); the answer stops here")
    }

    @Test func errorEventFromGeminiAndResponsesFailed() {
        let gemini = "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"
        let g = Analysis.analyze(DiagExchange.exchange(gemini, target: "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"))
        #expect(g.findings.map(FindingSpot.init) == [FindingSpot("error-event", .error, 0, 0)])
        #expect(g.assembly.errors == [StreamError(type: "UNAVAILABLE", message: "The model is overloaded.", event: 0)])
        let failed = responses("response.created", 0, ",\"response\":{\"status\":\"in_progress\"}")
        let tail = responses("response.failed", 1, ",\"response\":{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"Boom\"}}")
        let r = Analysis.analyze(DiagExchange.exchange(failed + tail, target: "/v1/responses"))
        #expect(r.findings.map(FindingSpot.init) == [FindingSpot("error-event", .error, count(failed), 1)])
        #expect(r.assembly.stop == "failed")
        #expect(r.assembly.errors == [StreamError(type: "server_error", message: "Boom", event: 1)])
    }

    @Test func errorEventDoesNotFireOnTextMentioningErrors() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("an error occurred? no") + DiagExchange.done)) == [])
    }

    // MARK: missing-terminator

    @Test func missingTerminatorFiresAtTheEndOfTheBody() {
        let body = DiagExchange.chat("Hi") + DiagExchange.chat("", finish: "stop")
        let findings = Analysis.analyze(DiagExchange.exchange(body)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("missing-terminator", .error, count(body), nil)])
        #expect(findings.first?.message.contains("data: [DONE]") == true)
    }

    @Test func missingTerminatorDoesNotFireWithDone() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.chat("", finish: "stop") + DiagExchange.done)) == [])
    }

    @Test func missingTerminatorDoesNotFireWhileRecording() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi"), end: .inProgress)) == [])
        var open = DiagExchange.exchange(DiagExchange.chat("Hi") + "data: {\"ob")
        open.end = nil   // the recorder has not finished it
        #expect(DiagExchange.spots(open) == [])
    }

    // MARK: data-after-terminator

    @Test func dataAfterTerminatorPointsAtTheFirstLateEvent() {
        let head = DiagExchange.chat("Hi", finish: "stop") + DiagExchange.done
        let findings = Analysis.analyze(DiagExchange.exchange(head + DiagExchange.chat("late") + DiagExchange.chat("later"))).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("data-after-terminator", .warning, count(head), 2)])
        #expect(findings.first?.message.hasPrefix("2 events arrive after the end marker (data: [DONE]) at event 1") == true)
    }

    @Test func dataAfterTerminatorDoesNotFireWhenTheMarkerIsLast() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi", finish: "stop") + DiagExchange.done)) == [])
    }

    // MARK: event-order

    @Test func eventOrderFiresOnAnAnthropicDeltaWithoutBlockStart() {
        let body = Claude.start + Claude.delta(0, "Hi") + Claude.stop
        let findings = Analysis.analyze(DiagExchange.exchange(body, target: "/v1/messages")).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("event-order", .error, count(Claude.start), 1)])
        #expect(findings.first?.message.contains("content block 0, which was never started") == true)
    }

    @Test func eventOrderFiresOnABlockIndexMismatchAndAnUnclosedBlock() {
        let body = Claude.start + Claude.blockStart(1) + Claude.delta(1, "Hi") + Claude.stop
        let spots = DiagExchange.spots(DiagExchange.exchange(body, target: "/v1/messages"))
        let stopAt = count(Claude.start, Claude.blockStart(1), Claude.delta(1, "Hi"))
        #expect(spots == [FindingSpot("event-order", .error, count(Claude.start), 1), FindingSpot("event-order", .error, stopAt, 3)])
    }

    @Test func eventOrderFiresOnAResponsesSequenceGap() {
        let e0 = responses("response.created", 0, ",\"response\":{\"status\":\"in_progress\"}")
        let e1 = responses("response.output_text.delta", 1, ",\"delta\":\"po\"")
        let e2 = responses("response.output_text.delta", 3, ",\"delta\":\"ng\"")
        let e3 = responses("response.completed", 4, ",\"response\":{\"status\":\"completed\"}")
        let analysis = Analysis.analyze(DiagExchange.exchange(e0 + e1 + e2 + e3, target: "/v1/responses"))
        #expect(analysis.findings.map(FindingSpot.init) == [FindingSpot("event-order", .error, count(e0, e1), 2)])
        #expect(analysis.findings.first?.message == "sequence_number jumps from 1 to 3: 1 event is missing")
        #expect(analysis.assembly.text == "pong")
        #expect(analysis.assembly.stop == "completed")
    }

    @Test func eventOrderDoesNotFireOnInOrderStreams() {
        let claude = Claude.start + Claude.blockStart(0) + Claude.delta(0, "Hi") + Claude.blockStop(0) + Claude.stop
        #expect(DiagExchange.spots(DiagExchange.exchange(claude, target: "/v1/messages")) == [])
        let r = responses("response.created", 0) + responses("response.output_text.delta", 1, ",\"delta\":\"x\"")
            + responses("response.completed", 2, ",\"response\":{\"status\":\"completed\"}")
        #expect(DiagExchange.spots(DiagExchange.exchange(r, target: "/v1/responses")) == [])
    }

    @Test func eventOrderTakesProviderNumbersAtTheEdgesOfInt() {
        let block = Claude.start + Claude.blockStart(Int.max) + Claude.blockStart(Int.max)
        let spots = DiagExchange.spots(DiagExchange.exchange(block, target: "/v1/messages", end: .clientDisconnected))
        #expect(spots.map(\.code) == ["event-order", "event-order", "client-disconnected"])
        let e0 = responses("response.created", Int.min)
        let e1 = responses("response.output_text.delta", Int.max, ",\"delta\":\"x\"")
        let e2 = responses("response.completed", 0, ",\"response\":{\"status\":\"completed\"}")
        let findings = Analysis.analyze(DiagExchange.exchange(e0 + e1 + e2, target: "/v1/responses")).findings
        #expect(findings.map(\.message) == [
            "sequence_number jumps from -9223372036854775808 to 9223372036854775807: 18446744073709551614 events are missing",
            "sequence_number 0 comes after 9223372036854775807: it goes backwards or repeats, so events were reordered or duplicated",
        ])
    }

    @Test func numbersThatAreNotExactIntsAreNotIndexes() {
        // 2^63 once read as Int.min and 1.5 as 1: a block index must be an exact Int or nothing.
        for index in ["9223372036854775808", "1e300", "1.5"] {
            let start = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":\(index),\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            #expect(DiagExchange.spots(DiagExchange.exchange(Claude.start + start + Claude.stop, target: "/v1/messages")) == [], "\(index)")
        }
    }

    // MARK: event-type-mismatch

    @Test func eventTypeMismatchFiresWhenTheEventNameDiffersFromTheJSONType() {
        let body = Claude.start + Claude.blockStart(0) + Claude.blockStop(0, name: "content_block_delta") + Claude.stop
        let findings = Analysis.analyze(DiagExchange.exchange(body, target: "/v1/messages")).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("event-type-mismatch", .warning, count(Claude.start, Claude.blockStart(0)), 2)])
        #expect(findings.first?.message.contains("\"content_block_delta\" but its JSON says type \"content_block_stop\"") == true)
    }

    @Test func eventTypeMismatchDoesNotFireWhenNamesAgree() {
        let body = Claude.start + Claude.blockStart(0) + Claude.blockStop(0) + Claude.stop
        #expect(DiagExchange.spots(DiagExchange.exchange(body, target: "/v1/messages")) == [])
    }

    // MARK: http-error-status

    @Test func httpErrorStatusQuotesTheErrorAndSkipsStreamChecks() {
        let body = "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}"
        let findings = Analysis.analyze(DiagExchange.exchange(body, status: 429, contentType: "application/json")).findings
        #expect(findings == [Finding(code: "http-error-status", severity: .error, offset: 0, event: nil,
                                     message: "the server answered HTTP 429 (\"Rate limit reached\") instead of a 2xx stream, so there is no answer to read")])
    }

    @Test func httpErrorStatusDoesNotFireOn2xx() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done, status: 200)) == [])
    }

    // MARK: unexpected-content-type

    @Test func unexpectedContentTypeFiresOnAStreamAnsweredAsJSON() {
        let findings = Analysis.analyze(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done, contentType: "application/json")).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("unexpected-content-type", .warning, 0, nil)])
        #expect(findings.first?.message.contains("\"application/json\"") == true)
    }

    @Test func unexpectedContentTypeIsTheOnlyFindingForAWholeJSONAnswer() {
        // One finding per cause: the JSON body is not read as a stream, so the consequences of the wrong
        // content type (unknown-field for the JSON line, missing-terminator) are no longer reported.
        let completion = #"{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]}"#
        #expect(DiagExchange.spots(DiagExchange.exchange(completion, contentType: "application/json"))
            == [FindingSpot("unexpected-content-type", .warning, 0, nil)])
    }

    @Test func unexpectedContentTypeDoesNotFireWithParametersOrWithoutStreaming() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done, contentType: "text/event-stream; charset=utf-8")) == [])
        #expect(DiagExchange.spots(DiagExchange.exchange(#"{"object":"chat.completion","choices":[]}"#, contentType: "application/json",
                                         requestBody: #"{"stream":false}"#)) == [])
    }

    // MARK: truncated

    @Test func truncatedIsTheOnlyFindingForACutStream() {
        // One finding per cause: the cut is reported as truncated; the missing end marker and the event cut
        // in half (missing-terminator, unterminated-event) follow from it and are no longer reported.
        let body = DiagExchange.chat("Hi")
        let findings = Analysis.analyze(DiagExchange.exchange(body, end: .upstreamReset, endError: "Connection reset by peer")).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("truncated", .error, count(body), nil)])
        #expect(findings.first?.message.contains("(Connection reset by peer)") == true)
        let cut = body + "data: {\"obj"
        for state in [EndState.upstreamReset, .proxyError, .interrupted] {
            #expect(DiagExchange.spots(DiagExchange.exchange(cut, end: state)) == [FindingSpot("truncated", .error, count(cut), nil)])
        }
    }

    @Test func truncatedDoesNotFireOnACompleteExchange() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done, end: .complete)) == [])
    }

    // MARK: client-disconnected

    @Test func clientDisconnectedIsInfoAndSuppressesMissingTerminator() {
        let body = DiagExchange.chat("Hi")
        #expect(DiagExchange.spots(DiagExchange.exchange(body, end: .clientDisconnected)) == [FindingSpot("client-disconnected", .info, count(body), nil)])
    }

    @Test func clientDisconnectedDoesNotFireOnACompleteExchange() {
        #expect(DiagExchange.spots(DiagExchange.exchange(DiagExchange.chat("Hi") + DiagExchange.done)) == [])
    }

    // MARK: stall

    @Test func stallFiresAtTheChunkAfterTheGap() {
        let parts: [(Double, [UInt8])] = [(0.2, Array(DiagExchange.chat("Hi").utf8)), (0.3, Array(DiagExchange.chat("there").utf8)),
                                          (6.4, Array((DiagExchange.chat("", finish: "stop") + DiagExchange.done).utf8))]
        let findings = Analysis.analyze(DiagExchange.exchange(parts)).findings
        #expect(findings.map(FindingSpot.init) == [FindingSpot("stall", .warning, count(DiagExchange.chat("Hi"), DiagExchange.chat("there")), 2)])
        #expect(findings.first?.message == "nothing arrived for 6.1 s before chunk 2 (threshold 5 s); the user saw the answer freeze here")
        #expect(DiagExchange.spots(DiagExchange.exchange(parts), options: .init(stallSeconds: 7)) == [])
    }

    @Test func stallInsideAnEventNamesThatEvent() {
        let first = "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"H"
        let parts: [(Double, [UInt8])] = [(0.2, Array(first.utf8)), (6.0, Array(("i\"}}]}\n\n" + DiagExchange.done).utf8))]
        #expect(DiagExchange.spots(DiagExchange.exchange(parts)) == [FindingSpot("stall", .warning, count(first), 0)])
    }

    @Test func stallDoesNotFireAtExactlyTheThreshold() {
        let parts: [(Double, [UInt8])] = [(0.3, Array(DiagExchange.chat("Hi").utf8)), (5.3, Array(DiagExchange.done.utf8))]
        #expect(DiagExchange.spots(DiagExchange.exchange(parts)) == [])
    }

    // MARK: slow-first-byte

    @Test func slowFirstByteIsInfoAtTheStart() {
        let findings = Analysis.analyze(DiagExchange.exchange([(12.5, Array((DiagExchange.chat("Hi") + DiagExchange.done).utf8))])).findings
        #expect(findings == [Finding(code: "slow-first-byte", severity: .info, offset: 0, event: 0,
                                     message: "the first byte of the body arrived 12.5 s after the request (threshold 10 s); the headers came after 0.1 s, so the wait was for the first token")])
    }

    @Test func slowFirstByteDoesNotFireAtExactlyTheThreshold() {
        #expect(DiagExchange.spots(DiagExchange.exchange([(10.0, Array((DiagExchange.chat("Hi") + DiagExchange.done).utf8))])) == [])
    }

    // MARK: catalogue

    @Test func catalogueSeveritiesMatchTheDesign() {
        let bySeverity = Dictionary(grouping: DiagnosticCode.allCases, by: \.severity).mapValues { Set($0.map(\.rawValue)) }
        #expect(bySeverity[.warning] == ["unknown-field", "mixed-line-endings", "data-after-terminator", "event-type-mismatch",
                                         "unexpected-content-type", "stall"])
        #expect(bySeverity[.info] == ["client-disconnected", "slow-first-byte"])
        #expect(bySeverity[.error]?.count == 9)
    }

    @Test func problemsCountsErrorLevelFindingsOnly() {
        let body = DiagExchange.chat("Hi")
        let analysis = Analysis.analyze(DiagExchange.exchange([(12.5, Array(body.utf8))], end: .upstreamReset))
        #expect(analysis.findings.map(\.code) == ["slow-first-byte", "truncated"])
        #expect(analysis.problems == 1)
    }
}

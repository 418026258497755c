// libFuzzer target: bytes → Exchange → full analysis (parser, dialect, assembly, every diagnostic).
//
// Input layout: byte 0 picks the dialect (bits 0-2: 0-5 forced, 6-7 detected), the content type (bits 3-4)
// and the request path (bits 5-7);
// byte 1 picks the chunk size (0: one chunk) and the end state (bits 4-7); the rest is the body.
// Compiled together with Sources/StreamtapeCore by fuzz/run.sh, so Core's internals are visible.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnalysis(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard input.count >= 2 else { return 0 }
    let dialects = Dialect.allCases
    let pick = Int(input[0] & 7)
    let forced: Dialect? = pick < dialects.count ? dialects[pick] : nil
    let contentTypes = ["text/event-stream", "application/x-ndjson", "application/json", nil]
    let contentType = contentTypes[Int(input[0] >> 3) & 3]
    let targets = ["", "/v1/chat/completions", "/v1/responses", "/v1/messages",
                   "/v1beta/models/m:streamGenerateContent?alt=sse", "/api/chat", "/api/generate", "/x"]
    let target = targets[Int(input[0] >> 5)]
    let chunkSize = Int(input[1] & 0x0F)
    let ends = EndState.allCases
    let state = ends[Int(input[1] >> 4) % ends.count]
    let body = Array(input.dropFirst(2))

    var chunks: [Chunk] = []
    var start = 0
    while start < body.count {
        let end = chunkSize == 0 ? body.count : min(body.count, start + chunkSize)
        // Chunk times grow unevenly so the stall and slow-first-byte checks see both sides of their thresholds.
        let t = UInt64(chunks.count) * 1_700_000_000 + UInt64(body[start]) * 50_000_000
        chunks.append(Chunk(seq: chunks.count, offsetNs: t, bytes: Array(body[start..<end])))
        start = end
    }
    let headers = contentType.map { [Header("content-type", $0)] } ?? []
    let exchange = Exchange(startedMs: 0, request: CapturedRequest(method: "POST", target: target),
                            response: CapturedResponse(status: 200, headers: headers, offsetNs: 0), chunks: chunks,
                            end: ExchangeEnd(offsetNs: chunks.last?.offsetNs ?? 0, state: state))
    let analysis = Analysis.analyze(exchange, dialect: forced)
    // Every view of the same events: the event lines and a second assembler must agree with the analysis.
    _ = EventLines.encode(analysis.events, chunks: exchange.chunks)
    var assembler = Assembler(dialect: analysis.dialect)
    for event in analysis.events { assembler.add(event) }
    precondition(assembler.assembly == analysis.assembly, "a second assembly of the same events differs")
    return 0
}

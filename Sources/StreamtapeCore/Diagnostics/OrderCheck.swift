/// Protocol order: Anthropic block start/delta/stop bookkeeping, Responses `sequence_number` steps.
struct OrderCheck {
    private var started = false
    private var open: Set<Int> = []
    private var nextIndex = 0
    private var lastSequence: Int?

    /// The lowest block index still open, if any.
    var unclosedBlocks: Int? { open.min() }

    /// A sentence describing the order broken by this event, nil when it is in order.
    mutating func check(_ dialect: Dialect, event: SSEEvent, note: EventNote) -> String? {
        switch dialect {
        case .anthropic: return anthropic(note)
        case .openaiResponses: return responses(note)
        default: return nil
        }
    }

    private mutating func anthropic(_ note: EventNote) -> String? {
        guard let type = note.type else { return nil }
        switch type {
        case "message_start":
            started = true
            return nil
        case "ping", "error":
            return nil
        default:
            break
        }
        var problem: String?
        if !started {
            started = true   // say it once
            problem = "a \(type) event came before message_start, so clients have no message to attach it to"
        }
        guard let index = note.blockIndex else { return problem }
        switch type {
        case "content_block_start":
            if open.contains(index) {
                return problem ?? "content block \(index) starts a second time without being stopped"
            }
            let expected = nextIndex
            open.insert(index)
            // The index is the provider's number: Int.max must not trap, so the step saturates.
            nextIndex = max(nextIndex, index == .max ? .max : index + 1)
            if index != expected {
                return problem ?? "content block \(index) starts where block \(expected) was expected; clients that index blocks by position misplace it"
            }
        case "content_block_delta":
            if !open.contains(index) {
                return problem ?? "a delta for content block \(index), which was never started (or already stopped); clients drop it or crash"
            }
        case "content_block_stop":
            if open.remove(index) == nil {
                return problem ?? "content_block_stop for block \(index), which was not open"
            }
        default:
            break
        }
        return problem
    }

    private mutating func responses(_ note: EventNote) -> String? {
        guard let sequence = note.sequence else { return nil }
        defer { lastSequence = max(lastSequence ?? sequence, sequence) }
        guard let last = lastSequence else { return nil }
        if sequence <= last {
            return "sequence_number \(sequence) comes after \(last): it goes backwards or repeats, so events were reordered or duplicated"
        }
        // sequence > last, so their distance fits a UInt even when the provider's numbers span all of Int.
        let step = UInt(bitPattern: sequence &- last)
        if step > 1 {
            let missing = step - 1
            return "sequence_number jumps from \(last) to \(sequence): \(missing == 1 ? "1 event is" : "\(missing) events are") missing"
        }
        return nil
    }
}

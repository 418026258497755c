/// Key → action, generated from `Actions.table`, plus the modal keys of the prompt and help screen.
public struct Keymap: Sendable {
    /// The action for each key.
    public let bindings: [Key: Action]

    /// Builds the keymap from a table; a key bound twice is a programming error.
    public init(_ table: [Action] = Actions.table) {
        var map: [Key: Action] = [:]
        for a in table {
            for k in a.keys {
                precondition(map[k] == nil, "key \(k.label) bound twice")
                map[k] = a
            }
        }
        bindings = map
    }

    /// Handles one key in the current mode.
    public func handle(_ key: Key, _ s: inout InspectorState, _ c: any InspectorContext) -> Reaction {
        if key == .resize { return .redraw }
        if s.prompt != nil { return handlePrompt(key, &s, c) }
        if s.showHelp {
            switch key {
            case .char("q"), .char("?"), .escape, .enter: s.showHelp = false
            case .ctrlC: s.quit = true; return [.quit]
            case .char("j"), .down, .wheelDown: s.helpScroll += 1
            case .char("k"), .up, .wheelUp: s.helpScroll = max(0, s.helpScroll - 1)
            default: return []
            }
            return .redraw
        }
        if key == .escape {
            s.message = nil
            if s.playing { s.playing = false; s.playAnchor = nil; s.message = "paused" }
            return .redraw
        }
        if let action = bindings[key] {
            s.message = nil
            return action.perform(&s, c)
        }
        return []
    }

    private func handlePrompt(_ key: Key, _ s: inout InspectorState, _ c: any InspectorContext) -> Reaction {
        switch key {
        case .escape, .ctrlC:
            s.prompt = nil
        case .backspace:
            if s.prompt?.isEmpty == false { s.prompt?.removeLast() } else { s.prompt = nil }
        case .enter:
            let typed = s.prompt ?? ""
            s.prompt = nil
            let query = typed.isEmpty ? s.lastSearch : typed
            guard !query.isEmpty else { return .redraw }
            s.lastSearch = query
            if let hit = c.search(query, from: s.selected, forward: true) {
                s.stickToEnd = false
                s.select(hit, count: c.eventCount)
                s.focus = .timeline
                s.message = "/\(query): event \(EventLabel.of(hit))"
            } else {
                s.message = "/\(query): not found"
            }
        case .char(let ch):
            s.prompt?.append(ch)
        default:
            return []
        }
        return .redraw
    }

    /// The help screen lines, generated from the table: keys, then what they do.
    public static func helpLines(_ table: [Action] = Actions.table) -> [String] {
        var out = ["streamtape inspect — keys", ""]
        for a in table where !a.keys.contains(.wheelUp) && !a.keys.contains(.wheelDown) {
            let keys = a.keys.map(\.label).joined(separator: " ")
            out.append("  " + keys.padding(toLength: 12, withPad: " ", startingAt: 0) + " " + a.help)
        }
        out.append("  " + "wheel".padding(toLength: 12, withPad: " ", startingAt: 0) + " scroll the focused pane")
        out.append("  " + "Esc".padding(toLength: 12, withPad: " ", startingAt: 0) + " pause, close help or prompt")
        out += ["", "Raw view: ␊ LF  ␍ CR  ␍␊ CRLF; ┆ marks where the network cut a chunk.",
                "Timeline: ◆ error finding, ◇ warning, · info. Gap chart: bars are gaps between chunks.",
                "", "Press ? or q to close."]
        return out
    }
}

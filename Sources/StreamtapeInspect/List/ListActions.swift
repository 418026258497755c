/// One thing the user can do in the exchange list.
public struct ListAction: Sendable {
    /// Stable name.
    public let name: String
    /// Keys that trigger it.
    public let keys: [Key]
    /// The help line.
    public let help: String
    /// Changes the state.
    public let perform: @Sendable (inout ListState) -> Reaction
}

/// The exchange list's action table; its keymap and help screen are generated from it.
public enum ListActions {
    /// Every action, in help order.
    public static let table: [ListAction] = [
        ListAction(name: "down", keys: [.char("j"), .down, .wheelDown], help: "next exchange") { s in s.select(s.selected + 1); return .redraw },
        ListAction(name: "up", keys: [.char("k"), .up, .wheelUp], help: "previous exchange") { s in s.select(s.selected - 1); return .redraw },
        ListAction(name: "page-down", keys: [.pageDown, .char("f")], help: "one page down") { s in s.select(s.selected + max(1, s.visibleRows - 1)); return .redraw },
        ListAction(name: "page-up", keys: [.pageUp, .char("b")], help: "one page up") { s in s.select(s.selected - max(1, s.visibleRows - 1)); return .redraw },
        ListAction(name: "first", keys: [.char("g"), .home], help: "first exchange") { s in s.select(0); return .redraw },
        ListAction(name: "last", keys: [.char("G"), .end], help: "last exchange") { s in s.select(s.shown.count - 1); return .redraw },
        ListAction(name: "open", keys: [.enter, .right], help: "open the exchange") { s in
            guard let row = s.current else { return [] }
            s.open = row.id
            return .redraw
        },
        ListAction(name: "sort", keys: [.char("s")], help: "sort by the next column shown (the arrow marks it)") { s in
            let shown = s.sortable.isEmpty ? SortKey.allCases : s.sortable
            s.sort = shown[((shown.firstIndex(of: s.sort) ?? -1) + 1) % shown.count]
            s.message = "sorted by \(s.sort.rawValue)\(s.descending ? " ↓" : " ↑")"
            return .redraw
        },
        ListAction(name: "reverse", keys: [.char("S")], help: "reverse the sort order") { s in
            s.descending.toggle()
            s.message = "sorted by \(s.sort.rawValue)\(s.descending ? " ↓" : " ↑")"
            return .redraw
        },
        ListAction(name: "filter", keys: [.char("/")], help: "filter by id, request, status, state or dialect") { s in
            s.prompt = s.filter
            return .redraw
        },
        ListAction(name: "help", keys: [.char("?")], help: "this help") { s in s.showHelp = true; return .redraw },
        ListAction(name: "quit", keys: [.char("q"), .ctrlC], help: "quit") { s in s.quit = true; return .quit },
    ]

    /// Key → action.
    public static let bindings: [Key: ListAction] = {
        var map: [Key: ListAction] = [:]
        for a in table { for k in a.keys { precondition(map[k] == nil, "key bound twice"); map[k] = a } }
        return map
    }()

    /// Handles one key, including the filter prompt (typed live) and the help screen.
    public static func handle(_ key: Key, _ s: inout ListState) -> Reaction {
        if key == .resize { return .redraw }
        if s.prompt != nil {
            switch key {
            case .escape: s.prompt = nil
            case .enter: s.prompt = nil
            case .backspace: if s.prompt?.isEmpty == false { s.prompt?.removeLast() }; s.filter = s.prompt ?? ""
            case .char(let c): s.prompt?.append(c); s.filter = s.prompt ?? ""
            case .ctrlC: s.prompt = nil
            default: return []
            }
            return .redraw
        }
        if s.showHelp {
            if [.char("q"), .char("?"), .escape, .enter].contains(key) { s.showHelp = false; return .redraw }
            if key == .ctrlC { s.quit = true; return .quit }
            return []
        }
        if key == .escape { s.message = nil; if !s.filter.isEmpty { s.filter = "" }; return .redraw }
        guard let a = bindings[key] else { return [] }
        s.message = nil
        return a.perform(&s)
    }

    /// The help lines, generated from the table.
    public static func helpLines() -> [String] {
        ["streamtape inspect — exchange list keys", ""]
            + table.map { "  " + $0.keys.filter { $0 != .wheelUp && $0 != .wheelDown }.map(\.label).joined(separator: " ")
                .padding(toLength: 12, withPad: " ", startingAt: 0) + " " + $0.help }
            + ["", "Press ? or q to close."]
    }
}

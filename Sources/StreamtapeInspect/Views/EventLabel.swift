/// How the inspector names an event: `#0` for the first, as the rows, `show` and `check` do;
/// `end`, `end-1`… for tail events that have no number yet.
enum EventLabel {
    /// `#12`, or `end` / `end-3` for the tail window's negative addresses.
    static func of(_ i: Int) -> String {
        i >= 0 ? "#\(i)" : i == -1 ? "end" : "end\(i + 1)"
    }
}

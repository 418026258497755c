/// The `codes` column: finding codes as ` a b c ` (a space on each side of each), so one code is
/// matched with `instr(codes, ' code ')` and no code is a prefix match of another.
enum CodeList {
    /// The column text for codes.
    static func store(_ codes: [String]) -> String { codes.isEmpty ? "" : " " + codes.joined(separator: " ") + " " }
    /// The codes in a column text.
    static func load(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }
    /// The pattern that finds one code.
    static func pattern(_ code: String) -> String { " \(code) " }
}

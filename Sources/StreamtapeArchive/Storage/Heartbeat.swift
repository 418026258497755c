/// How a PostgreSQL recorder proves it is alive: it stamps its `recorders` row every `interval`;
/// its open exchanges read as `interrupted` once the stamp is older than `lapseSeconds`.
public enum Heartbeat {
    /// How often a writer stamps its row.
    public static let interval: Duration = .seconds(2)
    /// How old a stamp may get before the recorder counts as dead.
    public static let lapseSeconds = 10
    /// The error text of an exchange whose recorder stopped.
    static let lapsedError = "the recorder stopped before the exchange ended (no heartbeat for \(lapseSeconds) s)"
}

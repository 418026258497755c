/// Why a stopping recorder ended the exchanges still in flight; the recorded error says which.
public enum StopReason: Sendable, Equatable {
    /// The first SIGINT/SIGTERM started a drain, and its time ran out.
    case drainTimeRanOut
    /// A second SIGINT/SIGTERM during the drain asked to stop at once.
    case stoppedAtOnce

    /// How the recorder came to stop, as the start of the recorded error text.
    var text: String {
        switch self {
        case .drainTimeRanOut: return "streamtape was stopped and its drain time ran out"
        case .stoppedAtOnce: return "streamtape was stopped at once by a second stop signal"
        }
    }
}

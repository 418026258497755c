import ArgumentParser
import Foundation
import StreamtapeArchive
import StreamtapeCore

/// The filters `list` and `stats` share: which exchanges, by time, state, finding, model, target and tag.
struct ExchangeFilters: ParsableArguments {
    @Option(help: "Only exchanges started at or after this time: an RFC 3339 timestamp, a date (YYYY-MM-DD, UTC), or an age such as 30m, 12h, 7d.")
    var since: String?

    @Option(help: "Only exchanges started before this time (same forms as --since).")
    var until: String?

    @Option(help: "Only exchanges in this end state; repeatable.")
    var state: [EndState] = []

    @Option(help: "Only exchanges with a finding of this diagnostic code (e.g. stall, error-event).")
    var code: String?

    @Flag(help: "Only exchanges with at least one error or warning finding.")
    var problems = false

    @Option(help: "Only exchanges whose request asked for this model.")
    var model: String?

    @Option(help: "Only exchanges whose request target contains this text (e.g. /v1/messages).")
    var target: String?

    @Option(help: "Only exchanges with this tag.")
    var tag: String?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeBound.ms(value, now: 0) == nil {
                throw ValidationError("\(name) \"\(value)\" is not a time: use 2026-11-26T07:00:00Z, 2026-11-26, or an age such as 30m, 12h, 7d")
            }
        }
        if let code, !DiagnosticCode.allCases.contains(where: { $0.rawValue == code }) {
            throw ValidationError("--code \"\(code)\" is not a diagnostic code (one of \(DiagnosticCode.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    /// The archive query these filters select (the caller adds order and limit).
    func query(now: Int64 = Int64((Date().timeIntervalSince1970 * 1000).rounded())) -> ArchiveQuery {
        ArchiveQuery(sinceMs: since.flatMap { TimeBound.ms($0, now: now) }, untilMs: until.flatMap { TimeBound.ms($0, now: now) },
                     states: state.map(\.rawValue), code: code, problems: problems, model: model, target: target, tag: tag)
    }
}

extension EndState: ExpressibleByArgument {}

/// The archive format, versioned with `PRAGMA user_version`: migration `n` (1-based) takes an archive
/// from version `n - 1` to `n`. Append new migrations; never edit a shipped one (a fixture archive of
/// every shipped version is opened by the tests).
enum Migrations {
    /// `PRAGMA application_id` of streamtape archives ("sttp"), so another program's SQLite file
    /// is told apart from ours.
    static let applicationID: Int64 = 0x7374_7470

    /// The ordered migrations.
    static let all: [String] = [v1, v2, v3, v4, v5, v6]

    /// The newest version this build reads and writes.
    static var current: Int { all.count }

    /// The columns the current version reads, per table: checked on open, so a damaged or edited
    /// schema is reported up front rather than as "no such column" halfway through a read.
    static let columns: [String: [String]] = [
        "exchanges": ["id", "started_ms", "upstream", "method", "target", "request_headers", "request_body", "status",
                      "response_headers", "response_offset_ns", "end_offset_ns", "end_state", "error", "note",
                      "dialect", "events", "errors", "warnings", "derived", "bytes", "chunks", "first_chunk_ns", "timing_unknown",
                      "uid", "recorder",

                      "model", "ttfb_ns", "ttfc_ns", "duration_ns", "content_events", "tokens_out", "tokens_per_s",
                      "gap_p50_ns", "gap_p99_ns", "gap_max_ns", "stall_max_ns", "stop", "error_type", "codes"],
        "chunks": ["exchange_id", "seq", "offset_ns", "start_byte", "bytes"],
        "tags": ["exchange_id", "tag"],
    ]

    /// Version 1: exchanges, their chunks, their tags.
    static let v1 = """
    CREATE TABLE exchanges (
        id INTEGER PRIMARY KEY,
        started_ms INTEGER NOT NULL,
        upstream TEXT NOT NULL,
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        request_headers TEXT NOT NULL,      -- JSON [[name, value], ...] in order
        request_body BLOB NOT NULL,
        status INTEGER,                     -- NULL when no response head arrived
        response_headers TEXT,              -- JSON like request_headers
        response_offset_ns INTEGER,
        end_offset_ns INTEGER,              -- NULL while recording
        end_state TEXT NOT NULL DEFAULT 'recording',
        error TEXT,
        note TEXT,
        dialect TEXT NOT NULL DEFAULT '',   -- derived from the chunks; chunks stay the truth
        events INTEGER NOT NULL DEFAULT 0,
        problems INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        chunks INTEGER NOT NULL DEFAULT 0,
        first_chunk_ns INTEGER
    );
    CREATE INDEX exchanges_end_state ON exchanges(end_state);
    CREATE TABLE chunks (
        exchange_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        offset_ns INTEGER NOT NULL,
        start_byte INTEGER NOT NULL,        -- offset of the chunk's first byte in the body
        bytes BLOB NOT NULL,
        PRIMARY KEY (exchange_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX chunks_start_byte ON chunks(exchange_id, start_byte);
    CREATE TABLE tags (
        exchange_id INTEGER NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (exchange_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX tags_tag ON tags(tag, exchange_id);
    """

    /// Version 2: no index on chunks' start bytes. Under load the recorder appends to a thousand
    /// exchanges at once, and every commit rewrote one leaf of this index per exchange besides the
    /// table's own leaf; byte ranges are found by a binary search over `seq` instead (`start_byte`
    /// grows with it).
    static let v2 = """
    DROP INDEX IF EXISTS chunks_start_byte;
    """

    /// Version 3: error- and warning-level findings counted apart (`problems` counted errors only),
    /// and `derived` saying whether dialect, events, errors and warnings hold the derivation of the
    /// ended exchange (0: not yet, or stale; readers show them as unknown). Rows from version 2 are
    /// derived again, since their warnings were never counted. The partial index holds only rows
    /// not derived, so every read-write open finds them without scanning the table.
    static let v3 = """
    ALTER TABLE exchanges DROP COLUMN problems;
    ALTER TABLE exchanges ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exchanges ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exchanges ADD COLUMN derived INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX exchanges_underived ON exchanges(id) WHERE derived = 0;
    """

    /// Version 4: exchanges whose chunk times were never recorded (imported cassettes and HAR) say so.
    static let v4 = """
    ALTER TABLE exchanges ADD COLUMN timing_unknown INTEGER NOT NULL DEFAULT 0;
    """

    /// Version 5: a stable identity per exchange (`uid`, kept by `copy`, so copying twice copies
    /// nothing twice) and the name of the recorder that wrote it. Older rows get a random uid.
    static let v5 = """
    ALTER TABLE exchanges ADD COLUMN uid TEXT;
    ALTER TABLE exchanges ADD COLUMN recorder TEXT NOT NULL DEFAULT '';
    UPDATE exchanges SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX exchanges_uid ON exchanges(uid);
    """

    /// Version 6: the per-exchange measures (`Measures`: model, times to first byte and content,
    /// content events, output tokens, gaps, stall, stop reason, first error type) and the findings' codes,
    /// derived like the
    /// counts, so `list` and `stats` filter, sort and aggregate in SQL. Every row is derived again to
    /// fill them. Indexed for the filters that select by time or model, and
    /// `exchanges_measures` covers what `stats` reads and filters on, so it never reads the rows, whose
    /// request bodies and headers (often in overflow pages) lie between it and the measures.
    static let v6 = """
    ALTER TABLE exchanges ADD COLUMN model TEXT;
    ALTER TABLE exchanges ADD COLUMN ttfb_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN ttfc_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN duration_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN content_events INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exchanges ADD COLUMN tokens_out INTEGER;
    ALTER TABLE exchanges ADD COLUMN tokens_per_s REAL;
    ALTER TABLE exchanges ADD COLUMN gap_p50_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN gap_p99_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN gap_max_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN stall_max_ns INTEGER;
    ALTER TABLE exchanges ADD COLUMN stop TEXT;
    ALTER TABLE exchanges ADD COLUMN error_type TEXT;
    ALTER TABLE exchanges ADD COLUMN codes TEXT NOT NULL DEFAULT '';   -- ' code code ', sorted, each once
    UPDATE exchanges SET derived = 0;
    CREATE INDEX exchanges_started ON exchanges(started_ms);
    CREATE INDEX exchanges_model ON exchanges(model);
    CREATE INDEX exchanges_measures ON exchanges(started_ms, model, end_state, derived, errors, warnings, codes,
                                                 ttfb_ns, ttfc_ns, duration_ns, gap_p50_ns, tokens_per_s, target);
    """
}

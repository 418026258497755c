/// The PostgreSQL schema, versioned in `streamtape_meta` (key `version`): migration `n` (1-based)
/// takes a database from version `n - 1` to `n`. Numbered apart from the SQLite format: append new
/// migrations, never edit a shipped one.
///
/// Columns mirror the SQLite schema (same names, integer flags), so readers and the writer share
/// their SQL. Ids come from the `exchange_ids` sequence, which many recorders draw from at once;
/// `recorders` holds each recorder's heartbeat.
enum PGMigrations {
    /// The ordered migrations.
    static let all: [String] = [v1]

    /// The newest version this build reads and writes.
    static var current: Int { all.count }

    /// Serializes schema changes between processes opening the same database (`pg_advisory_xact_lock` key, "sttp").
    static let lockKey: Int64 = 0x7374_7470

    /// Version 1: exchanges with their identity, recorder and measures, chunks, tags, recorders.
    static let v1 = """
    CREATE SEQUENCE exchange_ids;
    CREATE TABLE exchanges (
        id BIGINT PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,             -- stable across copies
        recorder TEXT NOT NULL DEFAULT '',
        started_ms BIGINT NOT NULL,
        upstream TEXT NOT NULL,
        method TEXT NOT NULL,
        target TEXT NOT NULL,
        request_headers TEXT NOT NULL,        -- JSON [[name, value], ...] in order
        request_body BYTEA NOT NULL,
        status INTEGER,
        response_headers TEXT,
        response_offset_ns BIGINT,
        end_offset_ns BIGINT,
        end_state TEXT NOT NULL DEFAULT 'recording',
        error TEXT,
        note TEXT,
        dialect TEXT NOT NULL DEFAULT '',
        events BIGINT NOT NULL DEFAULT 0,
        errors BIGINT NOT NULL DEFAULT 0,
        warnings BIGINT NOT NULL DEFAULT 0,
        derived INTEGER NOT NULL DEFAULT 0,
        bytes BIGINT NOT NULL DEFAULT 0,
        chunks BIGINT NOT NULL DEFAULT 0,
        first_chunk_ns BIGINT,
        timing_unknown INTEGER NOT NULL DEFAULT 0,
        model TEXT,                           -- the measures (`Measures`), derived like the counts
        ttfb_ns BIGINT,
        ttfc_ns BIGINT,
        duration_ns BIGINT,
        content_events BIGINT NOT NULL DEFAULT 0,
        tokens_out BIGINT,
        tokens_per_s DOUBLE PRECISION,
        gap_p50_ns BIGINT,
        gap_p99_ns BIGINT,
        gap_max_ns BIGINT,
        stall_max_ns BIGINT,
        stop TEXT,
        error_type TEXT,
        codes TEXT NOT NULL DEFAULT ''        -- ' code code ', sorted, each once
    );
    CREATE INDEX exchanges_end_state ON exchanges(end_state);
    CREATE INDEX exchanges_model ON exchanges(model);
    CREATE INDEX exchanges_underived ON exchanges(id) WHERE derived = 0;
    CREATE INDEX exchanges_started ON exchanges(started_ms);
    CREATE TABLE chunks (
        exchange_id BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        offset_ns BIGINT NOT NULL,
        start_byte BIGINT NOT NULL,
        bytes BYTEA NOT NULL,
        PRIMARY KEY (exchange_id, seq)
    );
    CREATE TABLE tags (
        exchange_id BIGINT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (exchange_id, tag)
    );
    CREATE INDEX tags_tag ON tags(tag, exchange_id);
    CREATE TABLE recorders (
        name TEXT PRIMARY KEY,
        heartbeat TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    """
}

#!/usr/bin/env python3
"""Grows an archive made by `streamtape import` to N exchanges by copying its rows with jittered
measures (time, model, timings, tokens), so `stats` and `list` run over a realistic spread. Chunks are
not copied: neither command reads them.  Usage: grow-archive.py ARCHIVE N"""
import sqlite3
import sys

path, target = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
cols = [r[1] for r in db.execute("PRAGMA table_info(exchanges)") if r[1] != "id"]
jitter = {
    "started_ms": "started_ms + abs(random() % 864000000)",
    "model": "CASE abs(random() % 4) WHEN 0 THEN model ELSE model || '-' || abs(random() % 3) END",
    "ttfb_ns": "ttfb_ns + abs(random() % 500000000)",
    "ttfc_ns": "ttfc_ns + abs(random() % 900000000)",
    "duration_ns": "duration_ns + abs(random() % 4000000000)",
    "gap_p50_ns": "gap_p50_ns + abs(random() % 50000000)",
    "tokens_per_s": "tokens_per_s * (0.5 + abs(random() % 1000) / 1000.0)",
}
select = ", ".join(jitter.get(c, c) for c in cols)
base = db.execute("SELECT max(id) FROM exchanges").fetchone()[0]
while True:
    have = db.execute("SELECT count(*) FROM exchanges").fetchone()[0]
    if have >= target:
        break
    top = db.execute("SELECT max(id) FROM exchanges").fetchone()[0]
    db.execute(f"INSERT INTO exchanges ({', '.join(cols)}) SELECT {select} FROM exchanges "
               f"WHERE id <= ? ORDER BY id LIMIT ?", (base, target - have))
    db.execute("INSERT INTO tags (exchange_id, tag) SELECT e.id, t.tag FROM exchanges e JOIN tags t "
               "ON t.exchange_id = 1 + (e.id - 1) % ? WHERE e.id > ?", (base, top))
db.commit()
print(db.execute("SELECT count(*) FROM exchanges").fetchone()[0], "exchanges in", path)

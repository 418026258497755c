"""No credential reaches the archive: a raw byte search of streamtape.sqlite, -wal and -shm, while the
recorder runs (before any checkpoint, so the WAL is searched) and after it stops; the archive shows
`redacted:<8 hex>` fingerprints instead (equal for equal keys, different for different keys); the
archive files are readable by their owner only."""
import os
import signal
import stat

from record_support import ArchiveView, curl, fingerprint, settled


def secret(label):
    return f"{label}SECRET{os.urandom(12).hex()}"


def archive_files(path):
    return [p for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")) if p.exists()]


def raw_search(path, needles):
    """{needle: [files containing it]} over the archive's files, as raw bytes."""
    found = {}
    for f in archive_files(path):
        data = f.read_bytes()
        for n in needles:
            if n.encode() in data:
                found.setdefault(n, []).append(f.name)
    return found


def test_credentials_never_reach_the_archive_files_and_are_fingerprinted(upstream, record, tmp_path):
    path = tmp_path / "captures" / "streamtape.sqlite"
    r = record("--upstream", upstream.url)          # the default archive, under the working directory
    view = ArchiveView(path)
    bearer_a, bearer_b = "sk-" + secret("A"), "sk-" + secret("B")
    x_api_key, api_key, goog, cookie, query_key = (secret(l) for l in ("XAPI", "AZURE", "GOOG", "COOKIE", "QUERY"))
    canary = "CANARY" + os.urandom(8).hex()        # an ordinary header: must be found, or the search proves nothing
    sends = [
        ["-H", f"Authorization: Bearer {bearer_a}", "-H", f"x-canary: {canary}"],
        ["-H", f"Authorization: Bearer {bearer_a}"],
        ["-H", f"Authorization: Bearer {bearer_b}"],
        ["-H", f"x-api-key: {x_api_key}", "-H", f"api-key: {api_key}", "-H", f"x-goog-api-key: {goog}",
         "-H", f"Cookie: sid={cookie}"],
    ]
    # Routes that do not echo the request: an echoed credential would be response body, which is kept as sent.
    for i, headers in enumerate(sends):
        assert curl(r.url + f"/status/200?n={i}", *headers).returncode == 0
    assert curl(r.url + f"/sse?key={query_key}&file=14-gemini-text-crlf&chunk=300").returncode == 0
    assert curl(r.url + "/cookie").returncode == 0
    secrets = [bearer_a, bearer_b, x_api_key, api_key, goog, cookie, query_key, upstream.cookie_secret]
    forwarded = " ".join(str(q) for q in upstream.requests)
    assert all(s in forwarded for s in secrets[:-1]), "the upstream itself still gets the real credentials"

    rows = settled(view, 6)
    assert [row["state"] for row in rows] == ["complete"] * 6
    # While the recorder is still running: the newest pages are in the -wal file.
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert "streamtape.sqlite-wal" in raw_search(path, [canary]).get(canary, []), \
        "the canary header is in the WAL (not yet checkpointed), so the search sees request headers there"
    assert raw_search(path, secrets) == {}, "no credential in the archive files while recording"
    for f in archive_files(path):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f"{f.name} is {oct(stat.S_IMODE(f.stat().st_mode))}"

    heads = [view.tape(row["id"])[0] for row in rows]
    hdr = [{k.lower(): v for k, v in h["request"]["headers"]} for h in heads]
    assert hdr[0]["authorization"] == "Bearer " + fingerprint(bearer_a)
    assert hdr[1]["authorization"] == hdr[0]["authorization"], "the same key gives the same fingerprint"
    assert hdr[2]["authorization"] == "Bearer " + fingerprint(bearer_b) != hdr[0]["authorization"]
    assert (hdr[3]["x-api-key"], hdr[3]["api-key"], hdr[3]["x-goog-api-key"], hdr[3]["cookie"]) == \
        (fingerprint(x_api_key), fingerprint(api_key), fingerprint(goog), fingerprint(f"sid={cookie}"))
    assert heads[4]["request"]["target"] == f"/sse?key={fingerprint(query_key)}&file=14-gemini-text-crlf&chunk=300"
    assert rows[4]["target"] == heads[4]["request"]["target"]
    resp = {k.lower(): v for k, v in heads[5]["response"]["headers"]}
    assert resp["set-cookie"] == fingerprint(f"session={upstream.cookie_secret}; HttpOnly")
    for h in heads:
        assert len(h["request"]["headers"]) > 0
    # Each fingerprint is `redacted:` and 8 lowercase hex digits.
    for v in [hdr[0]["authorization"].split(" ")[1], hdr[3]["x-api-key"], hdr[3]["cookie"]]:
        assert v.startswith("redacted:") and len(v) == 17 and all(c in "0123456789abcdef" for c in v[9:])

    assert r.stop(signal.SIGINT) == 0
    assert path.exists()
    assert raw_search(path, [canary]) != {}
    assert raw_search(path, secrets) == {}, "no credential in the archive files after the recorder stopped"
    for f in archive_files(path):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    log = " ".join(str(l) for l in r.lines)
    assert not any(s in log for s in secrets), "nor in the recorder's log lines"

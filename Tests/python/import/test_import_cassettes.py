"""End to end: vcrpy itself loads a cassette streamtape exported and replays it to httpx with the same
bodies; import -> export -> import gives the same exchanges; an imported exchange (timing unknown) is
replayed instantly unless a speed is asked for; a decompression bomb is refused with the archive unchanged."""
import base64
import gzip
import json
import os
import pathlib
import subprocess
import time
import urllib.request

import httpx
import vcr

ROOT = pathlib.Path(__file__).resolve().parents[3]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build" / "debug" / "streamtape"))
FIXTURES = ROOT / "Tests" / "StreamtapeImportTests" / "Fixtures"
CAPTURES = ROOT / "captures"


def st(*args, check=True):
    r = subprocess.run([BIN, *args], capture_output=True, stdin=subprocess.DEVNULL)
    if check:
        assert r.returncode == 0, r.stderr.decode()
    return r


def ids(out):
    return out.stdout.decode().split()


def test_vcrpy_replays_a_cassette_streamtape_exported_to_httpx_with_the_same_bodies(tmp_path):
    archive = str(tmp_path / "a.sqlite")
    # Recorded tapes (real chunk timing, Gemini CRLF, non-UTF-8 bytes, an HTTP error) and imported cassettes.
    sources = [CAPTURES / "gemini-text-crlf.tape.jsonl", CAPTURES / "llamacpp-invalid-utf8.tape.jsonl",
               CAPTURES / "openai-http-error-status.tape.jsonl", FIXTURES / "anthropic-messages-stream-gzip-binary.yaml",
               FIXTURES / "openai-chat-stream.yaml"]
    new = ids(st("import", "--archive", archive, *map(str, sources)))
    assert new == ["1", "2", "3", "4", "5", "6"]
    cassette = tmp_path / "exported.yaml"
    st("export", *new, "--format", "cassette", "-o", str(cassette), "--archive", archive)
    heads = [json.loads(st("export", i, "--archive", archive).stdout.split(b"\n")[0]) for i in new]
    bodies = [st("export", i, "--format", "sse", "--archive", archive).stdout for i in new]
    assert all(bodies)

    my_vcr = vcr.VCR(record_mode="none")
    with my_vcr.use_cassette(str(cassette)) as played, httpx.Client() as client:
        for head, body in zip(heads, bodies):
            req = head["request"]
            content = req.get("body", "").encode() or (base64.b64decode(req["body_b64"]) if "body_b64" in req else None)
            r = client.request(req["method"], head["upstream"] + req["target"], content=content)
            assert r.status_code == head["response"]["status"]
            assert r.content == body
        assert played.all_played


def test_import_export_import_gives_the_same_exchanges(tmp_path):
    archive = str(tmp_path / "a.sqlite")
    first = ids(st("import", "--archive", archive, str(FIXTURES / "gemini-stream-sse-crlf-multi-pydanticai.yaml"),
                   str(FIXTURES / "openai-responses-stream.yaml")))
    cassette = tmp_path / "round.yaml"
    st("export", *first, "--format", "cassette", "-o", str(cassette), "--archive", archive)
    second = ids(st("import", "--archive", archive, str(cassette)))
    assert len(second) == len(first) == 4
    for a, b in zip(first, second):
        ta = json.loads(st("export", a, "--archive", archive).stdout.split(b"\n")[0])
        tb = json.loads(st("export", b, "--archive", archive).stdout.split(b"\n")[0])
        if not any(h[0].lower() == "date" for h in ta["response"]["headers"]):
            ta.pop("started"), tb.pop("started")  # no Date header: the start is the file's time
        assert ta == tb
        assert ta["timing"] == "unknown"
        assert st("export", a, "--format", "sse", "--archive", archive).stdout == \
            st("export", b, "--format", "sse", "--archive", archive).stdout


def serve(source, *args):
    p = subprocess.Popen([BIN, "replay", source, "--port", "0", "--quiet", *args], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    return p, p.stdout.readline().strip().removeprefix("listening on ")


def timed_get(url):
    start = time.monotonic()
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read(), time.monotonic() - start


def test_replay_serves_unknown_timing_instantly_unless_a_speed_is_asked_for(tmp_path):
    """From the archive and from the HAR file itself."""
    har = {"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "request": {"method": "GET", "url": "https://api.test/v1/stream", "headers": []},
        "response": {"status": 200, "headers": [{"name": "content-type", "value": "text/event-stream"}],
                     "content": {"mimeType": "text/event-stream", "text": "data: 1\n\ndata: 2\n\n"}},
        "timings": {"send": 0, "wait": 1500, "receive": 0}}]}}
    path = tmp_path / "slow.har"
    path.write_text(json.dumps(har))
    archive = str(tmp_path / "a.sqlite")
    st("import", "--archive", archive, str(path))
    for source, args, fast in [(archive, (), True), (str(path), (), True), (archive, ("--speed", "1"), False)]:
        p, url = serve(source, *args)
        try:
            body, took = timed_get(url + "/v1/stream")
        finally:
            p.terminate()
            p.wait(timeout=5)
        assert body == b"data: 1\n\ndata: 2\n\n"
        assert (took < 1.0) if fast else (took >= 1.4), (args, took)


def test_a_decompression_bomb_is_refused_and_the_archive_is_unchanged(tmp_path):
    archive = tmp_path / "a.sqlite"
    st("import", "--archive", str(archive), str(FIXTURES / "openai-chat-stream.yaml"))
    before = archive.read_bytes()
    bomb = gzip.compress(bytes(300 << 20), 9)
    cassette = tmp_path / "bomb.yaml"
    cassette.write_text("interactions:\n- request: {body: null, headers: {}, method: GET, uri: 'https://x.test/'}\n"
                        "  response:\n    body: {string: !!binary '" + base64.b64encode(bomb).decode() + "'}\n"
                        "    headers: {Content-Encoding: [gzip]}\n    status: {code: 200, message: OK}\n")
    r = st("import", "--archive", str(archive), str(FIXTURES / "anthropic-messages-stream.yaml"), str(cassette), check=False)
    assert r.returncode == 3
    assert r.stderr.decode() == f"streamtape: {cassette}: body of interaction 1 is larger than 256 MiB\n"
    assert r.stdout == b""
    assert archive.read_bytes() == before

"""How an exchange ended, as the archive tells it (`list --json`, `export --format tape`): client gone,
client gone right after the end marker, upstream reset mid-stream, upstream unreachable, and a stream
cut by the drain time after SIGTERM."""
import json
import signal
import socket
import threading
import time

import openai

from record_support import ArchiveView, StreamClient, curl, settled
from record_upstream import CORPUS, LATE_TAIL


def recorder_on(record, upstream_url, tmp_path, *more):
    path = tmp_path / "a.sqlite"
    return record("--upstream", upstream_url, "--archive", str(path), *more), ArchiveView(path)


def test_client_disconnect_mid_stream_is_client_disconnected_with_its_time(upstream, record, tmp_path):
    r, view = recorder_on(record, upstream.url, tmp_path)
    c = StreamClient(r.url, "/tick?n=100&interval_ms=20")
    time.sleep(0.5)
    c.close()
    closed = time.monotonic()
    [row] = settled(view, 1)
    assert row["state"] == "client_disconnected"
    head, chunks, end = view.tape(row["id"])
    assert end["end"] == "client_disconnected"
    assert 0.4 < end["t"] < 0.5 + 1.0, f"the end time is when the client left ({end['t']} s)"
    assert chunks and chunks[-1][0] <= end["t"]
    assert len(chunks) < 100, "the rest of the stream was not recorded as if delivered"
    assert time.monotonic() - closed < 10


def test_the_openai_sdk_leaving_right_after_done_is_complete_and_the_late_end_is_still_recorded(upstream, record, tmp_path):
    r, view = recorder_on(record, upstream.url, tmp_path)
    client = openai.OpenAI(base_url=r.url + "/late-end/v1", api_key="sk-x", max_retries=0)
    started = time.monotonic()
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    left = time.monotonic() - started
    assert left < 1.0, f"the SDK closed at [DONE], before the upstream's late end ({left} s)"
    assert text == json.loads((CORPUS / "01-openai-chat-text.expected.json").read_text())["text"]
    [row] = settled(view, 1)
    assert row["state"] == "complete"
    _, chunks, end = view.tape(row["id"])
    assert (end["end"], "error" in end) == ("complete", False)
    assert end["t"] >= 1.0, f"the end is the upstream's, after the client left ({end['t']} s)"
    sent = (CORPUS / "01-openai-chat-text.sse").read_bytes() + LATE_TAIL
    assert b"".join(b for _, b in chunks) == sent, "what arrived after the client left is archived too"
    [line] = r.exchanges(1)
    assert (line["state"], line["events"]) == ("complete", json.loads((CORPUS / "01-openai-chat-text.expected.json").read_text())["n_events"])


def test_upstream_reset_is_upstream_reset_with_curls_message(upstream, record, tmp_path):
    r, view = recorder_on(record, upstream.url, tmp_path)
    got = curl(r.url + "/reset?after=3")
    assert got.returncode != 0, "the client sees the stream cut, not a clean end"
    [row] = settled(view, 1)
    assert (row["state"], row["status"], row["chunks"]) == ("upstream_reset", 200, 3)
    _, chunks, end = view.tape(row["id"])
    assert end["end"] == "upstream_reset"
    assert end["error"].strip(), "libcurl's message is kept"
    assert any(w in end["error"].lower() for w in ("reset", "recv", "transfer closed", "connection")), end["error"]
    assert b"".join(b for _, b in chunks) == (CORPUS / "01-openai-chat-text.sse").read_bytes()[:300]
    assert got.stdout == b"".join(b for _, b in chunks), "the client got exactly what was archived"


def test_unreachable_upstream_is_a_502_json_and_upstream_error(record, tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()                                     # nothing listens there now
    r, view = recorder_on(record, f"http://127.0.0.1:{port}", tmp_path)
    got = curl(r.url + "/v1/chat/completions", "-w", "\n%{http_code}", "-d", '{"stream":true}')
    body, code = got.stdout.rsplit(b"\n", 1)
    assert code == b"502"
    error = json.loads(body)["error"]
    assert error["type"] == "streamtape_upstream_error" and error["message"]
    [row] = settled(view, 1)
    assert (row["state"], row["method"], row["target"]) == ("upstream_error", "POST", "/v1/chat/completions")
    head, chunks, end = view.tape(row["id"])
    assert end["end"] == "upstream_error" and end["error"]
    assert chunks == []
    assert head["request"]["body"] == '{"stream":true}'


def test_a_stream_outlasting_the_drain_after_sigterm_is_interrupted_in_the_archive(upstream, record, tmp_path):
    r, view = recorder_on(record, upstream.url, tmp_path, "--drain", "0.3")
    result = {}
    t = threading.Thread(target=lambda: result.update(out=curl(r.url + "/tick?n=50&interval_ms=100")))
    t.start()
    time.sleep(0.5)
    assert r.stop(signal.SIGTERM) == 0
    t.join()
    [row] = view.list()                            # the recorder has exited: what it wrote is final
    assert row["state"] == "interrupted"
    _, chunks, end = view.tape(row["id"])
    assert end["end"] == "interrupted"
    assert 0.7 < end["t"] < 3, f"cut at the drain deadline ({end['t']} s)"
    assert b"".join(b for _, b in chunks) == result["out"].stdout, "the archive has what the client got"
    assert 5 <= len(chunks) < 50

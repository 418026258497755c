"""The `streamtape replay` command: first line, health, misses, malformed HTTP, errors and exit codes."""
import json
import socket

import httpx

from replay_support import sse_path


def test_port_zero_prints_the_url_first_and_health_answers(replay):
    url = replay(sse_path("01-openai-chat-text"))
    assert url.startswith("http://127.0.0.1:")
    r = httpx.get(url + "/__streamtape/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "exchanges": 1, "served": 0, "match": "request"}


def test_a_second_identical_request_is_a_miss_until_reset(replay):
    url = replay(sse_path("01-openai-chat-text"), args=["--instant"])
    assert httpx.post(url + "/v1/chat/completions", json={}).status_code == 200
    miss = httpx.post(url + "/v1/chat/completions", json={})
    assert miss.status_code == 404
    assert miss.json()["error"]["type"] == "streamtape_no_match"
    assert httpx.post(url + "/__streamtape/reset").json() == {"status": "ok", "served": 0}
    assert httpx.post(url + "/v1/chat/completions", json={}).status_code == 200


def test_sequence_mode_serves_sources_in_order(replay):
    url = replay(sse_path("01-openai-chat-text"), sse_path("13-anthropic-error-overloaded"), args=["--instant", "--match", "sequence"])
    first = httpx.get(url + "/whatever")
    second = httpx.post(url + "/v1/messages", content=b"not json")
    assert first.text.startswith('data: {"id":"chatcmpl-')
    assert second.text.startswith("event: error\n")
    assert httpx.get(url + "/again").status_code == 404


def test_malformed_http_gets_400(replay):
    url = replay(sse_path("01-openai-chat-text"))
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        assert s.recv(4096).startswith(b"HTTP/1.1 400 Bad Request\r\n")


def test_bad_fault_is_a_usage_error(run_cli):
    code, out, err = run_cli("replay", sse_path("01-openai-chat-text"), "--fault", "cut@x", "--port", "0")
    assert (code, out) == (2, "")
    assert err == "streamtape: bad fault 'cut@x': N must be an event number (0 or more; @N is before event #N), got 'x' (--help shows the usage)\n"


def test_fault_beyond_the_stream_is_refused_at_start(run_cli):
    code, _, err = run_cli("replay", sse_path("01-openai-chat-text"), "--fault", "error@20=openai-chat", "--port", "0")
    assert code == 3
    assert err == "streamtape: bad fault 'error@20=openai-chat': the stream has 12 event(s), #0 to #11; @N is before event #N, so N goes from 0 to 12 (exchange #1)\n"


def test_missing_source_is_unreadable_input(run_cli):
    code, _, err = run_cli("replay", "/nonexistent/x.sse", "--port", "0")
    assert (code, err) == (3, "streamtape: /nonexistent/x.sse: no such file or folder\n")


NDJSON = (b'{"model":"llama3","message":{"role":"assistant","content":"Hel"},"done":false}\n'
          b'{"model":"llama3","message":{"role":"assistant","content":"lo"},"done":false}\n'
          b'{"model":"llama3","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}\n')


def test_ndjson_body_is_served_as_ndjson_byte_exact(replay, tmp_path):
    source = tmp_path / "ollama-chat.ndjson"
    source.write_bytes(NDJSON)
    url = replay(str(source), args=["--instant"])
    r = httpx.post(url + "/api/chat", json={"model": "llama3", "stream": True})
    assert r.headers["content-type"] == "application/x-ndjson"
    assert r.headers["transfer-encoding"] == "chunked"
    assert r.content == NDJSON


def test_ollama_error_and_drop_terminator_on_ndjson(replay, tmp_path):
    source = tmp_path / "ollama-chat.ndjson"
    source.write_bytes(NDJSON)
    url = replay(str(source), args=["--instant", "--fault", "error@2=ollama"])
    lines = httpx.post(url + "/api/chat", json={}).content.splitlines()
    assert lines[:2] == NDJSON.splitlines()[:2]
    assert json.loads(lines[2]) == {"error": "an error was encountered while running the model: unexpected EOF"}
    assert len(lines) == 3
    url = replay(str(source), args=["--instant", "--fault", "drop-terminator"])
    assert httpx.post(url + "/api/chat", json={}).content == b"".join(NDJSON.splitlines(keepends=True)[:2])


def test_bad_pacing_and_listen_options_are_usage_errors(run_cli):
    src = sse_path("01-openai-chat-text")
    hint = " (--help shows the usage)\n"
    assert run_cli("replay", src, "--speed", "0")[::2] == (2, "streamtape: --speed must be a number from 0.001 up (2 is twice as fast), got 0" + hint)
    assert run_cli("replay", src, "--max-gap=-1")[::2] == (2, "streamtape: --max-gap must be a number of seconds from 0 to 86400, got -1" + hint)
    assert run_cli("replay", src, "--listen", "localhost")[::2] == (2, "streamtape: --listen localhost: expected HOST:PORT, e.g. 127.0.0.1:8788" + hint)


def test_a_source_of_another_kind_is_refused_clearly(run_cli, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert run_cli("replay", str(other), "--port", "0")[::2] == (
        3, f"streamtape: {other}: not a replay source (expected a tape (.tape.jsonl), a .sse or .ndjson body, a VCR cassette (.yaml), a HAR file, a folder or an archive)\n")

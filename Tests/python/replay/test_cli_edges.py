"""`streamtape replay` through the real binary at its edges: faults before event #0, recordings with no
chunks, bad option values, signals, a port in use, control endpoints and the line per request."""
import json
import select
import signal
import socket
import subprocess
import time

import httpx
import pytest

from replay_support import BIN, ROOT

TAPE = ROOT / "captures/openai-chat-text.tape.jsonl"
REQUEST = json.loads(TAPE.read_text().splitlines()[0])["request"]


def start(*args):
    """Starts `streamtape replay ARGS --port 0`; returns the process and its URL."""
    proc = subprocess.Popen([BIN, "replay", *args, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready, _, _ = select.select([proc.stdout], [], [], 20)
    line = proc.stdout.readline() if ready else ""
    assert line.startswith("listening on http://127.0.0.1:"), (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, line.strip().removeprefix("listening on ")


def stop(proc, sig=signal.SIGTERM):
    """Sends `sig`; returns the exit code and stderr."""
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=10)
    return proc.returncode, err


def raw_exchange(url, method, target, body):
    """Sends one request on a fresh connection and reads until the server closes it."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    data = body.encode()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(f"{method} {target} HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n"
                  f"content-length: {len(data)}\r\n\r\n".encode() + data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
    return out


@pytest.mark.parametrize("pacing", [["--instant"], ["--speed", "1"], ["--instant", "--fault", "rechunk=5"]])
def test_cut_before_event_0_sends_the_head_then_closes_and_keeps_serving(pacing):
    proc, url = start(str(TAPE), "--fault", "cut@0", *pacing)
    try:
        out = raw_exchange(url, REQUEST["method"], REQUEST["target"], REQUEST["body"])
        assert out.startswith(b"HTTP/1.1 200 OK\r\n")
        assert out.endswith(b"transfer-encoding: chunked\r\n\r\n")  # the head, then nothing: no chunk, no end
        assert httpx.get(url + "/__streamtape/health").json()["served"] == 1
    finally:
        assert stop(proc)[0] == 0


def test_a_recording_with_no_chunks_sends_the_head_and_an_empty_body(tmp_path):
    empty_sse = tmp_path / "empty.sse"
    empty_sse.write_bytes(b"")
    header = dict(json.loads(TAPE.read_text().splitlines()[0]))
    bare_tape = tmp_path / "bare.tape.jsonl"
    bare_tape.write_text(json.dumps(header) + "\n" + json.dumps({"t": 0.5, "end": "complete"}) + "\n")
    for source, request in [(empty_sse, ("POST", "/anything", "{}")), (bare_tape, (REQUEST["method"], REQUEST["target"], REQUEST["body"]))]:
        proc, url = start(str(source), "--instant")
        try:
            r = httpx.request(request[0], url + request[1], content=request[2])
            assert (r.status_code, r.content) == (200, b"")
            assert httpx.get(url + "/__streamtape/health").json()["served"] == 1
        finally:
            assert stop(proc)[0] == 0


@pytest.mark.parametrize("args, message", [
    (["--speed", "-1"], "--speed must be a number from 0.001 up (2 is twice as fast), got -1"),
    (["--speed", "5e-324"], "--speed must be a number from 0.001 up (2 is twice as fast), got 5e-324"),
    (["--speed", "0"], "--speed must be a number from 0.001 up (2 is twice as fast), got 0"),
    (["--max-gap", "1e20"], "--max-gap must be a number of seconds from 0 to 86400, got 1e+20"),
    (["--max-gap", "-1"], "--max-gap must be a number of seconds from 0 to 86400, got -1"),
    (["--port", "-5"], "--port must be from 0 to 65535, got -5"),
    (["--listen", "-5"], "--listen -5: expected HOST:PORT, e.g. 127.0.0.1:8788"),
    (["--listen", "127.0.0.1:70000"], "--listen 127.0.0.1:70000: port 70000 is out of range: a port is 0 to 65535"),
    (["--listen", "127.0.0.1:http"], "--listen 127.0.0.1:http: \"http\" is not a port number: expected HOST:PORT, e.g. 127.0.0.1:8788"),
    (["--instant", "--speed", "5"], "--instant ignores recorded timing: leave out --speed and --max-gap, or --instant"),
    (["--instant", "--max-gap", "1"], "--instant ignores recorded timing: leave out --speed and --max-gap, or --instant"),
    (["--fault", "cut@99999999999999999999"],
     "bad fault 'cut@99999999999999999999': N must be an event number (0 or more; @N is before event #N), got '99999999999999999999'"),
    (["--fault", "stall@3=1e300"], "bad fault 'stall@3=1e300': SECONDS must be a number from 0 to 3600, got '1e300'"),
])
def test_a_bad_option_value_says_what_is_wrong_with_it(run_cli, args, message):
    assert run_cli("replay", str(TAPE), *args)[::2] == (2, f"streamtape: {message} (--help shows the usage)\n")


@pytest.mark.parametrize("sig, name", [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")])
def test_a_signal_stops_replay_cleanly(sig, name):
    proc, _ = start(str(TAPE))
    assert stop(proc, sig) == (0, f"stopping ({name})\nstopped\n")


def test_a_port_in_use_is_one_line_exit_4_and_leaves_no_archive(run_cli, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_cli("replay", str(TAPE), "--port", str(port))[::2] == (4, f"streamtape: port {port} is in use\n")
        archive = tmp_path / "misses.sqlite"
        code, _, err = run_cli("replay", str(TAPE), "--port", str(port), "--record-misses",
                               "--upstream", "http://127.0.0.1:9", "--archive", str(archive))
        assert (code, err) == (4, f"streamtape: port {port} is in use\n")
        assert list(tmp_path.iterdir()) == []


def test_control_endpoints_answer_405_with_allow_for_other_methods():
    proc, url = start(str(TAPE))
    try:
        for method, path, allowed in [("GET", "/__streamtape/reset", "POST"), ("POST", "/__streamtape/health", "GET"),
                                      ("DELETE", "/__streamtape/reset", "POST")]:
            r = httpx.request(method, url + path)
            assert (r.status_code, r.headers["allow"]) == (405, allowed)
            assert r.json()["error"] == {"type": "streamtape_method_not_allowed", "message": f"{path} answers {allowed} only"}
        assert httpx.get(url + "/__streamtape/health").json()["served"] == 0
    finally:
        stop(proc)


def test_each_request_gets_one_line_on_stderr_unless_quiet():
    proc, url = start(str(TAPE), "--instant")
    httpx.request(REQUEST["method"], url + REQUEST["target"], content=REQUEST["body"])
    httpx.request(REQUEST["method"], url + REQUEST["target"], content=REQUEST["body"])
    httpx.get(url + "/v1/models")
    httpx.get(url + "/__streamtape/health")
    assert stop(proc) == (0, "served POST /v1/chat/completions with exchange #1: 200\n"
                             "miss POST /v1/chat/completions: 404, its 1 recording(s) already served (POST /__streamtape/reset rewinds)\n"
                             "miss GET /v1/models: 404, closest exchange #1 (POST /v1/chat/completions)\n"
                             "stopping (SIGTERM)\nstopped\n")
    proc, url = start(str(TAPE), "--instant", "--quiet")
    httpx.get(url + "/v1/models")
    assert stop(proc) == (0, "stopping (SIGTERM)\nstopped\n")

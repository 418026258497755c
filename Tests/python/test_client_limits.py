"""Client limits of both servers through the real binary and raw sockets: each limit gets its status
(400, 408, 413, 414, 431, 503) and a closed connection, and a client that dribbles its head or body cannot
hold up anybody else. Both `record` and `replay` run with small limits so the tests stay quick."""
import json
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build/debug/streamtape"))
TAPE = str(ROOT / "captures/openai-chat-text.tape.jsonl")
LIMITS = ["--max-body", "1", "--max-connections", "4", "--header-timeout", "0.5", "--body-timeout", "1", "--idle-timeout", "1"]


class Server:
    """`streamtape record` (towards a closed port) or `streamtape replay` on 127.0.0.1:0 under LIMITS."""

    def __init__(self, kind, tmp_path):
        self.kind = kind
        self.archive = str(tmp_path / "a.sqlite")
        if kind == "record":
            args = ["record", "--listen", "127.0.0.1:0", "--json", "--upstream", "http://127.0.0.1:9",
                    "--archive", self.archive]
        else:
            args = ["replay", TAPE, "--port", "0", "--repeat"]
        self.log = open(tmp_path / "stderr.txt", "w")
        self.proc = subprocess.Popen([BIN, *args, *LIMITS], stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.proc.stdout.readline()
        url = json.loads(line)["listen"] if kind == "record" else line.strip().removeprefix("listening on ")
        self.port = int(url.rsplit(":", 1)[1])
        # A request every server answers without a limit in the way: replay's health, or a 502 from the recorder.
        self.ok_request = b"GET /__streamtape/health HTTP/1.1\r\nhost: x\r\n\r\n" if kind == "replay" else b"GET / HTTP/1.1\r\nhost: x\r\n\r\n"
        self.ok_status = 200 if kind == "replay" else 502
        # A POST neither server can serve: no recording matches it, or the recorder's upstream is closed.
        self.post_status = 404 if kind == "replay" else 502

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        return s

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture(params=["record", "replay"])
def server(request, tmp_path):
    s = Server(request.param, tmp_path)
    yield s
    s.stop()


def read_response(sock):
    """One response: (status, headers dict, body bytes); reads exactly its content-length."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        assert more, f"connection closed before a response head: {data!r}"
        data += more
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(rest) < length:
        more = sock.recv(65536)
        assert more
        rest += more
    return status, headers, rest[:length]


def closed(sock, timeout=5):
    """Whether the server closed the connection (EOF, or a reset) within `timeout`, with nothing more sent."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def refused_with(server, data):
    """Sends `data`, reads the answer, and checks the connection is then closed."""
    with server.connect() as s:
        s.sendall(data)
        status, headers, body = read_response(s)
        assert headers["connection"] == "close"
        assert closed(s)
        return status, headers, json.loads(body)["error"]["type"]


def test_a_request_target_over_8_kib_gets_414(server):
    assert refused_with(server, b"GET /" + b"a" * 8192 + b" HTTP/1.1\r\nhost: x\r\n\r\n")[::2] == (414, "streamtape_target_too_long")


def test_a_target_of_8_kib_is_served(server):
    with server.connect() as s:
        s.sendall(b"GET /" + b"a" * 8191 + b" HTTP/1.1\r\nhost: x\r\n\r\n")
        assert read_response(s)[0] in (404, 502)   # replay: no such recording; record: the closed upstream


def test_a_head_over_64_kib_gets_431(server):
    big = b"x-big: " + b"b" * (64 * 1024) + b"\r\n"
    assert refused_with(server, b"GET / HTTP/1.1\r\nhost: x\r\n" + big + b"\r\n")[::2] == (431, "streamtape_headers_too_large")


def test_more_than_256_header_fields_gets_431(server):
    fields = b"".join(b"x-%d: 1\r\n" % i for i in range(257))
    assert refused_with(server, b"GET / HTTP/1.1\r\n" + fields + b"\r\n")[::2] == (431, "streamtape_headers_too_large")


def test_a_declared_body_over_max_body_gets_413_before_it_is_sent(server):
    head = b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
    assert refused_with(server, head % (1024 * 1024 + 1))[::2] == (413, "streamtape_request_too_large")


def test_a_malformed_request_line_gets_400(server):
    assert refused_with(server, b"GET / HTTP/1.1 extra\r\nhost: x\r\n\r\n")[::2] == (400, "streamtape_bad_request")


def test_a_head_dribbled_past_the_header_timeout_gets_408_and_a_close(server):
    with server.connect() as s:
        start = time.monotonic()
        s.sendall(b"GET / HTTP/1.1\r\n")
        s.settimeout(0.1)
        answer = b""
        for i in range(40):   # one byte every 0.1 s: 4 s of dribbling at most
            try:
                s.sendall(b"x-%d: 1\r\n" % i)
                answer += s.recv(4096)
                if answer.endswith(b"}"):
                    break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        elapsed = time.monotonic() - start
        assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert 0.4 < elapsed < 2
        assert closed(s)


BODY_408_JSON = b'{"error":{"type":"streamtape_request_timeout","message":"the request body did not arrive within 1000 ms"}}'
BODY_408 = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
            b"connection: close\r\n\r\n%s" % (len(BODY_408_JSON), BODY_408_JSON))


def post_head(target, length):
    return b"POST %s HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % (target, length)


def recorded_targets(server):
    """The targets of the exchanges in the record archive, oldest first."""
    r = subprocess.run([BIN, "list", "--archive", server.archive, "--json"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return sorted((json.loads(l)["started"], json.loads(l)["target"]) for l in r.stdout.splitlines())


@pytest.mark.parametrize("dribble", [True, False], ids=["dribbled", "stopped"])
def test_a_body_not_complete_within_the_body_timeout_gets_408_and_is_not_recorded(server, dribble):
    with server.connect() as s:
        start = time.monotonic()
        s.sendall(post_head(b"/v1/slow", 100) + b'{"model":')
        s.settimeout(0.2)
        answer = b""
        while not answer.endswith(b"}") and time.monotonic() - start < 4:
            try:
                if dribble:
                    s.sendall(b" ")   # one byte every 0.2 s, never the whole body
                answer += s.recv(4096)
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        elapsed = time.monotonic() - start
        assert answer == BODY_408
        assert 0.9 < elapsed < 2
        assert closed(s)
    with server.connect() as s:   # a whole request afterwards is served (and recorded)
        s.sendall(post_head(b"/v1/whole", 2) + b"{}")
        assert read_response(s)[0] == server.post_status
    if server.kind == "record":
        deadline = time.monotonic() + 5
        while not (targets := recorded_targets(server)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [t for _, t in targets] == ["/v1/whole"]
        # The log line names streamtape's close, not the client's.
        server.stop()
        lines = [json.loads(l) for l in server.proc.stdout.read().splitlines()]
        assert [(l["state"], l["error"]) for l in lines if l.get("target") == "/v1/slow"] == [
            ("client_disconnected", "streamtape closed the connection: the request body did not arrive within 1000 ms")]


def test_a_keep_alive_connections_second_body_gets_its_own_body_timeout(server):
    with server.connect() as s:
        for target in (b"/v1/one", b"/v1/two"):   # 1.4 s in all: more than one body timeout
            s.sendall(post_head(target, 2) + b"{")
            time.sleep(0.7)
            s.sendall(b"}")
            assert read_response(s)[0] == server.post_status
        s.sendall(post_head(b"/v1/three", 2) + b"{")
        start = time.monotonic()
        s.settimeout(5)
        answer = b""
        while not answer.endswith(b"}"):
            more = s.recv(4096)
            assert more
            answer += more
        assert answer == BODY_408
        assert 0.9 < time.monotonic() - start < 2


def test_an_idle_connection_is_closed_after_the_idle_timeout_without_an_answer(server):
    with server.connect() as s:
        start = time.monotonic()
        assert closed(s, timeout=5)
        assert 0.8 < time.monotonic() - start < 3


def test_a_keep_alive_connection_is_closed_after_idling_past_its_last_response(server):
    with server.connect() as s:
        s.sendall(server.ok_request)
        assert read_response(s)[0] == server.ok_status
        time.sleep(0.6)
        s.sendall(server.ok_request)   # within the idle timeout: still served
        assert read_response(s)[0] == server.ok_status
        start = time.monotonic()
        assert closed(s, timeout=5)
        assert 0.8 < time.monotonic() - start < 3


def test_a_connection_over_the_cap_gets_503_with_retry_after_and_a_freed_place_is_reused(server):
    held = [server.connect() for _ in range(4)]
    try:
        time.sleep(0.2)
        status, headers, kind = refused_with(server, server.ok_request)
        assert (status, headers["retry-after"], kind) == (503, "1", "streamtape_too_many_connections")
        held.pop().close()
        deadline = time.monotonic() + 3
        while True:   # the server sees the close a moment later
            with server.connect() as s:
                s.sendall(server.ok_request)
                status = read_response(s)[0]
            if status != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert status == server.ok_status
    finally:
        for s in held:
            s.close()


def test_clients_dribbling_their_heads_do_not_hold_up_a_normal_request(server):
    stop = threading.Event()

    def dribble():
        with server.connect() as s:
            s.sendall(b"GET / HTTP/1.1\r\n")
            while not stop.wait(0.05):
                try:
                    s.sendall(b"x")
                except OSError:
                    return

    threads = [threading.Thread(target=dribble) for _ in range(3)]   # the cap is 4: one place left
    for t in threads:
        t.start()
    try:
        time.sleep(0.2)
        with server.connect() as s:
            start = time.monotonic()
            s.sendall(server.ok_request)
            assert read_response(s)[0] == server.ok_status
            assert time.monotonic() - start < 0.3
    finally:
        stop.set()
        for t in threads:
            t.join()


@pytest.mark.parametrize("kind", ["record", "replay"])
@pytest.mark.parametrize("option, value, message", [
    ("--max-body", "0", "--max-body must be 1 to 1048576 MiB, got 0"),
    ("--max-connections", "0", "--max-connections must be 1 or more, got 0"),
    ("--header-timeout", "-1", "--header-timeout must be more than 0 and at most 86400 seconds, got -1"),
    ("--body-timeout", "0", "--body-timeout must be more than 0 and at most 86400 seconds, got 0"),
    ("--body-timeout", "90000", "--body-timeout must be more than 0 and at most 86400 seconds, got 90000"),
    ("--idle-timeout", "nan", "--idle-timeout must be more than 0 and at most 86400 seconds, got nan"),
])
def test_a_bad_limit_is_a_usage_error_naming_the_value(kind, option, value, message, tmp_path):
    args = ["record", "--upstream", "http://127.0.0.1:9"] if kind == "record" else ["replay", TAPE]
    r = subprocess.run([BIN, *args, option, value], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, f"streamtape: {message} (--help shows the usage)\n")

"""`streamtape record` as a user runs it: curl -N, TLS upstreams, signals, log lines, bad options."""
import json
import shutil
import signal
import subprocess
import threading
import time

import pytest

from record_support import BIN, curl
from record_upstream import CORPUS, REPO, FakeUpstream

NAMES = sorted(p.stem for p in CORPUS.glob("*.sse"))


@pytest.mark.parametrize("name", NAMES)
def test_curl_gets_every_corpus_stream_byte_exact_through_the_recorder(upstream, recorder, name):
    url = f"/sse?file={name}&chunk=37&delay_ms=1"
    through = curl(recorder.url + url)
    assert through.returncode == 0
    assert through.stdout == (CORPUS / f"{name}.sse").read_bytes()
    assert through.stdout == curl(upstream.url + url).stdout


def test_one_json_log_line_per_exchange_with_the_documented_fields(upstream, recorder):
    curl(recorder.url + "/sse?file=01-openai-chat-text&chunk=100")
    [line] = recorder.exchanges(1)
    assert set(line) >= {"id", "method", "target", "status", "state", "events", "ttfb_ms", "duration_ms", "chunks", "bytes"}
    assert (line["method"], line["status"], line["state"], line["events"]) == ("GET", 200, "complete", 12)
    assert line["bytes"] == (CORPUS / "01-openai-chat-text.sse").stat().st_size
    assert 0 < line["ttfb_ms"] <= line["duration_ms"]
    assert recorder.startup["upstreams"] == [{"prefix": "", "url": upstream.url}]


def test_the_key_query_parameter_is_redacted_in_the_log(upstream, recorder):
    curl(recorder.url + "/echo?key=AIzaSECRETKEY&alt=sse")
    [line] = recorder.exchanges(1)
    assert "SECRETKEY" not in json.dumps(line)
    assert line["target"].startswith("/echo?key=redacted:") and line["target"].endswith("&alt=sse")


def test_text_log_and_startup_line(upstream, tmp_path):
    proc = subprocess.Popen([str(BIN), "record", "--listen", "127.0.0.1:0", "--upstream", upstream.url, "--archive", "x.sqlite"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    try:
        startup = proc.stdout.readline()
        assert startup.startswith("streamtape record: listening on http://127.0.0.1:")
        assert f"archive x.sqlite, upstream {upstream.url}" in startup
        port = startup.split("http://127.0.0.1:")[1].split(",")[0]
        curl(f"http://127.0.0.1:{port}/status/404")
        line = proc.stdout.readline()
        assert line.startswith("#1 GET /status/404 404 complete events=0 ttfb=")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "\x1b[K" not in err, "no status line when stderr is not a terminal"


def test_quiet_prints_only_the_startup_line(upstream, record):
    r = record("--upstream", upstream.url, "--quiet")
    curl(r.url + "/status/200")
    time.sleep(0.3)
    r.stop()
    assert r.startup["event"] == "listening"
    assert r.lines == [], "no exchange lines and no notes"


def test_prefix_routes_serve_several_upstreams(upstream, record):
    other = FakeUpstream()
    try:
        r = record("--upstream", f"/a={upstream.url}", "--upstream", f"/b={other.url}")
        assert curl(r.url + "/a/status/201").stdout == curl(upstream.url + "/status/201").stdout
        curl(r.url + "/b/echo")
        assert [q["path"] for q in other.requests] == ["/echo"]
        no_route = curl(r.url + "/c/x", "-w", "%{http_code}")
        assert no_route.stdout.endswith(b"404") and b"streamtape_no_route" in no_route.stdout
    finally:
        other.close()


def test_a_tls_upstream_works_with_upstream_ca(tls_cert, tls_upstream, record):
    cert, _ = tls_cert
    r = record("--upstream", tls_upstream.url, "--upstream-ca", str(cert))
    out = curl(r.url + "/sse?file=15-gemini-thinking&chunk=500")
    assert out.stdout == (CORPUS / "15-gemini-thinking.sse").read_bytes()
    assert r.exchanges(1)[0]["state"] == "complete"


def test_an_untrusted_tls_upstream_is_a_502_naming_the_certificate_problem(tls_upstream, record):
    r = record("--upstream", tls_upstream.url)
    out = curl(r.url + "/status/200", "-w", "\n%{http_code}")
    body, code = out.stdout.rsplit(b"\n", 1)
    assert code == b"502"
    error = json.loads(body)["error"]
    assert error["type"] == "streamtape_upstream_error"
    assert "certificate" in error["message"].lower()
    assert r.exchanges(1)[0]["state"] == "upstream_error"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_lets_streams_in_flight_finish_within_the_drain_time(upstream, record, sig):
    r = record("--upstream", upstream.url, "--drain", "5")
    result = {}
    t = threading.Thread(target=lambda: result.update(out=curl(r.url + "/tick?n=10&interval_ms=80")))
    t.start()
    time.sleep(0.3)
    code = r.stop(sig)
    t.join()
    assert code == 0
    assert result["out"].returncode == 0 and result["out"].stdout.count(b"data: ") == 10
    assert r.exchanges(1)[0]["state"] == "complete"
    # Stopped accepting: the port is closed now.
    assert curl(r.url + "/status/200").returncode != 0


def test_streams_still_running_after_the_drain_time_are_cut_and_recorded_as_interrupted(upstream, record):
    r = record("--upstream", upstream.url, "--drain", "0.3")
    result = {}
    t = threading.Thread(target=lambda: result.update(out=curl(r.url + "/tick?n=50&interval_ms=100")))
    t.start()
    time.sleep(0.3)
    started = time.time()
    code = r.stop(signal.SIGTERM)
    t.join()
    assert code == 0
    assert time.time() - started < 3
    assert result["out"].returncode == 18, "curl: partial file (the stream was cut, not ended cleanly)"
    [line] = r.exchanges(1)
    assert (line["state"], line["error"]) == ("interrupted", "streamtape was stopped and its drain time ran out before the stream ended")


def test_a_second_signal_stops_at_once_and_records_streams_as_interrupted(upstream, record):
    r = record("--upstream", upstream.url, "--drain", "30")
    result = {}
    t = threading.Thread(target=lambda: result.update(out=curl(r.url + "/tick?n=100&interval_ms=100")))
    t.start()
    time.sleep(0.3)
    started = time.time()
    r.proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    code = r.stop(signal.SIGINT)
    t.join()
    assert code == 0
    assert time.time() - started < 5
    assert result["out"].returncode == 18
    [line] = r.exchanges(1)
    assert (line["state"], line["error"]) == ("interrupted", "streamtape was stopped at once by a second stop signal before the stream ended")


@pytest.mark.parametrize("args, message", [
    (["--upstream", "http://x", "--keep-header", "Authorization"], "always redacted"),
    (["--upstream", "ftp://x"], "not an http:// or https:// URL"),
    ([], "give an upstream"),
    (["--provider", "nope"], "The value 'nope' is invalid for '--provider <name>'. Please provide one of the following: openai, anthropic, gemini, openrouter, groq, mistral, ollama"),
    (["--upstream", "http://x", "--listen", "nohost"], "expected HOST:PORT"),
])
def test_bad_options_are_one_line_usage_errors(args, message, tmp_path):
    out = subprocess.run([str(BIN), "record", *args], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert out.returncode == 2
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, message", [
    (["--drain", "-1"], "--drain must be 0 or more seconds, not -1.0"),
    (["--drain", "nan"], "--drain must be 0 or more seconds, not nan"),
    (["--listen", "-5"], "--listen -5: expected HOST:PORT, e.g. 127.0.0.1:8787"),
    (["--listen", "127.0.0.1:-5"], "--listen 127.0.0.1:-5: port -5 is out of range: a port is 0 to 65535"),
    (["--listen", "127.0.0.1:70000"], "--listen 127.0.0.1:70000: port 70000 is out of range: a port is 0 to 65535"),
    (["--listen", "127.0.0.1:http"], "--listen 127.0.0.1:http: \"http\" is not a port number: expected HOST:PORT, e.g. 127.0.0.1:8787"),
])
def test_a_bad_number_says_what_is_wrong_with_it_not_that_it_is_missing(args, message, tmp_path):
    out = subprocess.run([str(BIN), "record", "--upstream", "http://x", *args], capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert (out.returncode, out.stderr) == (2, f"streamtape: {message} (--help shows the usage)\n")
    assert list(tmp_path.iterdir()) == []


def test_a_port_in_use_is_one_line_and_leaves_no_archive_behind(upstream, recorder, tmp_path):
    port = recorder.url.rsplit(":", 1)[1]
    folder = tmp_path / "second"
    folder.mkdir()

    def second(archive):
        return subprocess.run([str(BIN), "record", "--listen", f"127.0.0.1:{port}", "--upstream", upstream.url, "--archive", archive],
                              capture_output=True, text=True, timeout=30, cwd=folder)
    out = second("second.sqlite")
    assert (out.returncode, out.stdout) == (4, "")
    assert out.stderr == f"streamtape: port {port} is in use; stop what listens there or pick another with --listen HOST:PORT\n"
    assert list(folder.iterdir()) == [], "no archive (nor -wal, -shm, lock) created by the run that could not listen"
    # An archive that exists is left exactly as it was: not opened, so not migrated to the current version.
    shutil.copy(REPO / "Tests/StreamtapeArchiveTests/Fixtures/archive-v1.sqlite", folder / "old.sqlite")
    before = (folder / "old.sqlite").read_bytes()
    out = second("old.sqlite")
    assert out.returncode == 4
    assert sorted(p.name for p in folder.iterdir()) == ["old.sqlite"]
    assert (folder / "old.sqlite").read_bytes() == before


def test_a_second_recorder_on_the_same_archive_is_refused(upstream, recorder, tmp_path):
    out = subprocess.run([str(BIN), "record", "--listen", "127.0.0.1:0", "--upstream", upstream.url],
                         capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert out.returncode == 4
    assert out.stderr == "streamtape: another streamtape process is writing captures/streamtape.sqlite; stop it or use another --archive\n"


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def test_a_client_that_stops_reading_holds_back_the_upstream_and_the_recorder_stays_small(upstream, recorder):
    import socket
    port = int(recorder.url.rsplit(":", 1)[1])
    before = rss_mb(recorder.proc.pid)
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    s.sendall(b"GET /flood?mb=512 HTTP/1.1\r\nHost: x\r\n\r\n")
    # Read nothing for a while: the upstream must stop, far short of 512 MiB.
    last, stable = -1, 0
    deadline = time.time() + 20
    while stable < 5 and time.time() < deadline:
        time.sleep(0.2)
        sent = upstream.flood_sent
        stable = stable + 1 if sent == last else 0
        last = sent
    grown = rss_mb(recorder.proc.pid) - before
    s.close()
    print(f"upstream stopped after {last / 2**20:.1f} MiB; recorder RSS grew {grown:.1f} MB")
    assert stable >= 5, f"the upstream kept sending ({last >> 20} MiB)"
    assert last < 128 << 20, f"the upstream sent {last >> 20} MiB to a client that reads nothing"
    assert grown < 16, f"the recorder grew by {grown:.1f} MB"
    [line] = recorder.exchanges(1)
    assert line["state"] == "client_disconnected"

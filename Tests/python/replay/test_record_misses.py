"""`streamtape replay --record-misses --upstream URL`: a request no recording matches is forwarded to the
real upstream (here a fake one on 127.0.0.1), streamed back, recorded into the archive with credentials
redacted, and serves later identical requests of the same run."""
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openai
import pytest

from replay_support import BIN, CORPUS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "record"))
from record_upstream import FakeUpstream  # noqa: E402

SECRET = "sk-test-MISSSECRET-42"
STREAM = (CORPUS / "01-openai-chat-text.sse").read_bytes()
EXPECTED_TEXT = json.loads((CORPUS / "01-openai-chat-text.expected.json").read_text())["text"]


@pytest.fixture
def upstream():
    up = FakeUpstream()
    yield up
    up.close()


def cli(*args, timeout=20):
    p = subprocess.run([BIN, *args], capture_output=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr.decode()


def listed(archive):
    code, out, err = cli("list", "--json", "--archive", str(archive))
    assert code == 0, err
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


def wait_for_states(archive, states, timeout=10):
    """The archive's exchanges once their end states are `states` (the writer commits within 100 ms)."""
    deadline = time.monotonic() + timeout
    rows = []
    while time.monotonic() < deadline:
        rows = listed(archive) if archive.exists() else []
        if [r["state"] for r in rows] == states:
            return rows
        time.sleep(0.05)
    raise AssertionError(f"archive states {[r['state'] for r in rows]}, wanted {states}")


def chat_text(url, model="gpt-4o-mini"):
    client = openai.OpenAI(base_url=url + "/v1", api_key=SECRET, max_retries=0)
    stream = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}], stream=True)
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def write_tape(path, model):
    """A one-exchange tape whose recorded request asks for `model`."""
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "hi"}], "stream": True})
    lines = [
        {"streamtape": 1, "started": "2026-11-26T07:00:00.000Z", "upstream": "https://api.openai.com",
         "request": {"method": "POST", "target": "/v1/chat/completions",
                     "headers": [["content-type", "application/json"]], "body": body},
         "response": {"status": 200, "t": 0.01, "headers": [["content-type", "text/event-stream"]]}},
        {"t": 0.02, "text": 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"%s",'
                            '"choices":[{"index":0,"delta":{"content":"from the tape"},"finish_reason":null}]}\n\n'
                            % model},
        {"t": 0.03, "text": "data: [DONE]\n\n"},
        {"t": 0.04, "end": "complete"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return str(path)


def test_a_miss_is_forwarded_recorded_redacted_and_then_served_from_the_recording(replay, upstream, tmp_path):
    archive = tmp_path / "captures" / "misses.sqlite"
    archive.parent.mkdir()                       # a folder named by --archive must exist (issue 9 item 25)
    tape = write_tape(tmp_path / "recorded.tape.jsonl", "recorded-model")
    url = replay(tape, args=["--instant", "--record-misses", "--upstream", upstream.url, "--archive", str(archive)])

    # The tape's own request is replayed; the upstream is not asked.
    assert chat_text(url, model="recorded-model") == "from the tape"
    assert upstream.requests == []

    # A request no recording matches gets the upstream's stream through replay ...
    assert chat_text(url) == EXPECTED_TEXT
    assert len(upstream.requests) == 1
    sent = upstream.requests[0]
    assert sent["method"] == "POST" and sent["path"] == "/v1/chat/completions"
    assert dict((k.lower(), v) for k, v in sent["headers"])["authorization"] == f"Bearer {SECRET}"

    # ... and the archive holds it: the same bytes, the request redacted.
    [row] = wait_for_states(archive, ["complete"])
    assert (row["method"], row["target"], row["status"]) == ("POST", "/v1/chat/completions", 200)
    code, body, err = cli("export", str(row["id"]), "--format", "sse", "--archive", str(archive))
    assert code == 0, err
    assert body == STREAM
    code, tape_out, err = cli("export", str(row["id"]), "--format", "tape", "--archive", str(archive))
    assert code == 0, err
    head = json.loads(tape_out.decode().splitlines()[0])
    headers = {k.lower(): v for k, v in head["request"]["headers"]}
    assert headers["authorization"].startswith("Bearer redacted:")
    assert head["upstream"] == upstream.url
    assert SECRET.encode() not in tape_out
    for f in archive.parent.iterdir():  # the database and its WAL
        assert SECRET.encode() not in f.read_bytes(), f.name

    # With the upstream gone, an identical request is served from the new recording.
    upstream.close()
    assert chat_text(url) == EXPECTED_TEXT
    assert len(upstream.requests) == 1

    # Replay now holds the tape and the new recording, both served once.
    health = json.loads(urllib.request.urlopen(url + "/__streamtape/health", timeout=5).read())
    assert (health["exchanges"], health["served"]) == (2, 2)
    assert len(listed(archive)) == 1


def test_an_unreachable_upstream_answers_502_and_is_recorded_as_an_upstream_error(replay, tmp_path):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()  # nothing listens there now
    archive = tmp_path / "a.sqlite"
    url = replay(str(CORPUS / "01-openai-chat-text.sse"), args=["--instant", "--match", "sequence", "--record-misses",
                                                               "--upstream", dead, "--archive", str(archive)])
    assert chat_text(url) == EXPECTED_TEXT  # the bare body answers the first request
    with pytest.raises(openai.InternalServerError) as raised:
        chat_text(url)
    assert raised.value.status_code == 502
    assert raised.value.body["type"] == "streamtape_upstream_error"
    [row] = wait_for_states(archive, ["upstream_error"])
    assert row["status"] is None and row["target"] == "/v1/chat/completions"


def test_the_archive_can_be_both_source_and_destination(replay, run_cli, upstream, tmp_path):
    archive = tmp_path / "tape.sqlite"
    args = ["--instant", "--record-misses", "--upstream", upstream.url, "--archive", str(archive)]
    url = replay(str(archive), args=args)  # the archive does not exist yet: replay starts empty
    assert chat_text(url) == EXPECTED_TEXT
    wait_for_states(archive, ["complete"])

    # One writer per archive: a second recording replay on it is refused while the first runs.
    code, out, err = run_cli("replay", str(archive), "--port", "0", *args)
    assert code == 4
    assert len(err.strip().splitlines()) == 1 and "another streamtape process is writing" in err, err

    # A later run (no upstream at all) serves the recording from the archive.
    upstream.close()
    url2 = replay(str(archive), args=["--instant"])
    assert chat_text(url2) == EXPECTED_TEXT


@pytest.mark.parametrize("args,message", [
    (["--record-misses"], "--record-misses needs --upstream"),
    (["--upstream", "http://127.0.0.1:9"], "--upstream is used only with --record-misses"),
    (["--record-misses", "--upstream", "ftp://example"], "is not an http:// or https:// URL"),
])
def test_record_misses_and_upstream_go_together(run_cli, args, message):
    code, out, err = run_cli("replay", str(CORPUS / "01-openai-chat-text.sse"), "--port", "0", *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err, err


def test_without_record_misses_a_miss_is_still_a_404(replay, upstream, tmp_path):
    tape = write_tape(tmp_path / "recorded.tape.jsonl", "recorded-model")
    url = replay(tape, args=["--instant"])
    with pytest.raises(openai.NotFoundError) as raised:
        chat_text(url)
    assert raised.value.body["type"] == "streamtape_no_match"
    assert upstream.requests == []


def test_record_misses_says_on_stderr_which_archive_it_writes(upstream, tmp_path):
    archive = tmp_path / "misses.sqlite"
    proc = subprocess.Popen([BIN, "replay", str(CORPUS / "01-openai-chat-text.sse"), "--port", "0", "--record-misses",
                             "--upstream", upstream.url, "--archive", str(archive)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("listening on http://127.0.0.1:")
        assert proc.stderr.readline() == f"archive: {archive} (new)\n"
    finally:
        proc.kill()
        proc.wait(timeout=10)

"""What `streamtape replay` gained for test suites (the pytest plugin uses all of it): `--repeat`,
`GET /__streamtape/misses`, `--record-misses --into FOLDER` (misses become NNN.tape.jsonl tapes, a
folder that does not exist yet or is empty is fine) and `--record-every-miss`."""
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import httpx
import pytest

from replay_support import BIN

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "record"))
from record_upstream import FakeUpstream  # noqa: E402

SECRET = "sk-test-INTOSECRET-7"


@pytest.fixture
def upstream():
    up = FakeUpstream()
    yield up
    up.close()


# Keep-alive, as the SDKs: a client that hangs up right after the body can beat the upstream's end,
# and the miss is then recorded as client_disconnected.
HTTP = httpx.Client(timeout=10)


def ask(url, content):
    """POSTs a non-streaming chat request; returns (status, parsed body)."""
    r = HTTP.post(url + "/v1/chat/completions", json={"model": "m", "messages": [{"role": "user", "content": content}]},
                  headers={"authorization": "Bearer " + SECRET})
    return r.status_code, r.json()


def misses(url):
    with urllib.request.urlopen(url + "/__streamtape/misses", timeout=10) as r:
        return json.load(r)["misses"]


def questions(folder):
    return [(p.name, json.loads(json.loads(p.read_text().splitlines()[0])["request"]["body"])["messages"][0]["content"])
            for p in sorted(folder.iterdir())]


@pytest.fixture
def server():
    """Factory: `server(*args)` starts `streamtape replay ARGS --port 0` and returns (url, process);
    `process.terminate()` then makes it write what it recorded and exit 0. All are stopped at the end."""
    started = []

    def start(*args):
        proc = subprocess.Popen([BIN, "replay", *args, "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        started.append(proc)
        line = proc.stdout.readline()
        assert line.startswith("listening on "), proc.stderr.read()
        return line.strip().removeprefix("listening on "), proc
    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def stop(proc):
    proc.terminate()
    assert proc.wait(timeout=10) == 0


def test_into_a_folder_that_does_not_exist_records_each_miss_as_the_next_tape(server, upstream, tmp_path):
    folder = tmp_path / "cassettes" / "t"
    recording = ["--instant", "--record-misses", "--upstream", upstream.url, "--into", str(folder)]
    url, proc = server(str(folder), *recording)
    assert ask(url, "one")[0] == 200
    assert ask(url, "two")[0] == 200
    assert ask(url, "one")[0] == 200          # learned: answered from 001, not forwarded
    assert len(upstream.requests) == 2
    assert misses(url) == []                  # forwarded misses are not 404s
    stop(proc)
    assert questions(folder) == [("001.tape.jsonl", "one"), ("002.tape.jsonl", "two")]
    text = "".join(p.read_text() for p in folder.iterdir())
    assert SECRET not in text and "Bearer redacted:" in text
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    # a second run loads the tapes and numbers new misses after them
    url, proc = server(str(folder), *recording)
    assert ask(url, "two")[0] == 200 and ask(url, "three")[0] == 200
    stop(proc)
    assert questions(folder) == [("001.tape.jsonl", "one"), ("002.tape.jsonl", "two"), ("003.tape.jsonl", "three")]
    assert len(upstream.requests) == 3


def test_an_empty_folder_is_a_source_when_recording(server, upstream, tmp_path):
    url, proc = server(str(tmp_path), "--instant", "--record-misses", "--upstream", upstream.url, "--into", str(tmp_path))
    assert ask(url, "one")[0] == 200
    stop(proc)
    assert questions(tmp_path) == [("001.tape.jsonl", "one")]


def test_record_every_miss_forwards_and_records_identical_requests_again(server, upstream, tmp_path):
    url, proc = server("--instant", "--record-misses", "--record-every-miss", "--upstream", upstream.url,
                       "--into", str(tmp_path))
    assert [ask(url, "same")[0] for _ in range(3)] == [200] * 3
    stop(proc)
    assert questions(tmp_path) == [("001.tape.jsonl", "same"), ("002.tape.jsonl", "same"), ("003.tape.jsonl", "same")]
    assert len(upstream.requests) == 3
    assert "recorded miss: POST /v1/chat/completions -> 200 complete (003.tape.jsonl)" in proc.stderr.read()


def recorded_folder(server, upstream, folder, *contents):
    url, proc = server("--instant", "--record-misses", "--record-every-miss", "--upstream", upstream.url, "--into", str(folder))
    for c in contents:
        assert ask(url, c)[0] == 200
    stop(proc)


def test_repeat_serves_a_recording_as_often_as_asked_and_once_without_it(server, upstream, tmp_path):
    recorded_folder(server, upstream, tmp_path, "same")
    url, _ = server(str(tmp_path), "--instant", "--repeat")
    assert [ask(url, "same") for _ in range(3)] == [ask(url, "same")] * 3
    assert ask(url, "same")[0] == 200
    url, _ = server(str(tmp_path), "--instant")
    assert ask(url, "same")[0] == 200
    status, body = ask(url, "same")
    assert status == 404 and body["error"]["message"].startswith("all 1 recorded exchange(s) matching")


def test_misses_lists_the_404_bodies_served_so_far(server, upstream, tmp_path):
    recorded_folder(server, upstream, tmp_path, "one")
    url, _ = server(str(tmp_path), "--instant")
    assert misses(url) == []
    status, body = ask(url, "two")
    assert status == 404
    assert ask(url, "one")[0] == 200
    assert misses(url) == [body]
    assert body["error"]["closest"][0]["differences"] == ['body $.messages[0].content: got "two", recorded "one"']


@pytest.mark.parametrize("args, message", [
    (["--into", "x"], "--into is used only with --record-misses (where recorded misses are written)"),
    (["--record-every-miss"], "--record-every-miss is used only with --record-misses"),
    (["--record-misses", "--upstream", "openai", "--into", "x", "--archive", "a.sqlite"],
     "--into and --archive both say where misses are recorded: give one"),
    ([], "give at least one SOURCE to replay (a tape, a folder of tapes or an archive)"),
])
def test_misused_options_are_usage_errors(run_cli, args, message):
    assert run_cli("replay", *args) == (2, "", f"streamtape: {message} (--help shows the usage)\n")

"""streamtape replay reads tapes, folders of tapes and archives (all, --exchange, --tag)."""
import base64
import json
import shutil
import os
import pathlib
import subprocess
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build" / "debug" / "streamtape"))
CAPTURES = ROOT / "captures"


def start(*args):
    p = subprocess.Popen([BIN, "replay", *args, "--port", "0", "--instant"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    line = p.stdout.readline().strip()
    assert line.startswith("listening on http://127.0.0.1:"), (line, p.stderr.read() if p.poll() is not None else "")
    return p, line.split("listening on ")[1]


def post(url, tape):
    head = json.loads((CAPTURES / tape).read_text().splitlines()[0])
    req = urllib.request.Request(url + head["request"]["target"], data=head["request"]["body"].encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, r.read()


def body_of(tape):
    out = b""
    for line in (CAPTURES / tape).read_bytes().split(b"\n")[1:]:
        if not line:
            continue
        o = json.loads(line)
        if "text" in o:
            out += o["text"].encode()
        elif "b64" in o:
            out += base64.b64decode(o["b64"])
    return out


def test_tape_folder_serves_every_tape_byte_exact(tmp_path):
    for tape in ["openai-chat-text.tape.jsonl", "gemini-text-crlf.tape.jsonl", "anthropic-tool-use.tape.jsonl"]:
        shutil.copy(CAPTURES / tape, tmp_path / tape)
    (tmp_path / "notes.md").write_text("not a tape: ignored")
    p, url = start(str(tmp_path))
    try:
        for tape in ["openai-chat-text.tape.jsonl", "gemini-text-crlf.tape.jsonl", "anthropic-tool-use.tape.jsonl"]:
            status, body = post(url, tape)
            assert status == 200
            assert body == body_of(tape)
    finally:
        p.terminate()
        p.wait(timeout=10)


def test_archive_with_tag_and_exchange_selects_what_is_served():
    with tempfile.TemporaryDirectory() as d:
        archive = os.path.join(d, "a.sqlite")
        ids = subprocess.run([BIN, "import", "--archive", archive, "--tag", "chat",
                              str(CAPTURES / "openai-chat-text.tape.jsonl")], capture_output=True, text=True, check=True)
        assert ids.stdout == "1\n"
        subprocess.run([BIN, "import", "--archive", archive, str(CAPTURES / "ollama-chat.tape.jsonl")],
                       capture_output=True, check=True)
        p, url = start(archive, "--tag", "chat")
        try:
            assert post(url, "openai-chat-text.tape.jsonl") == (200, body_of("openai-chat-text.tape.jsonl"))
            try:
                post(url, "ollama-chat.tape.jsonl")
                raise AssertionError("an exchange without the tag was served")
            except urllib.error.HTTPError as e:
                assert e.code == 404
        finally:
            p.terminate()
            p.wait(timeout=10)
        p, url = start(archive, "--exchange", "2")
        try:
            assert post(url, "ollama-chat.tape.jsonl") == (200, body_of("ollama-chat.tape.jsonl"))
        finally:
            p.terminate()
            p.wait(timeout=10)


def test_exchange_without_an_archive_is_a_usage_error():
    r = subprocess.run([BIN, "replay", str(CAPTURES / "openai-chat-text.tape.jsonl"), "--exchange", "1", "--port", "0"],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert r.returncode == 2
    assert r.stderr.strip() == "streamtape: --exchange and --tag pick exchanges from an archive; no SOURCE is an archive"

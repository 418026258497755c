"""One PostgreSQL archive shared by several recorders: concurrent writers, a recorder killed
mid-stream, a database outage, `copy` between backends and `prune`.

The cluster is a throwaway one started by scripts/pg-test-cluster (initdb into a temporary folder,
postgres on a Unix socket, run as the `postgres` user when we are root)."""
import json
import signal
import subprocess
import threading
import time
from pathlib import Path

import openai
import pytest

from record_support import ArchiveView, st
from record_upstream import REPO, corpus


class Cluster:
    """scripts/pg-test-cluster serve, driven over its stdin."""

    def __init__(self):
        self.proc = subprocess.Popen([str(REPO / "scripts/pg-test-cluster"), "serve"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(60)


@pytest.fixture(scope="module")
def cluster():
    c = Cluster()
    yield c
    c.close()


@pytest.fixture
def pg(cluster):
    """A fresh database's URI."""
    return cluster.ask("new")


CHAT = corpus("01-openai-chat-text")


def chat_stream(base_url):
    """Streams one chat completion with the official SDK; returns the text it assembled."""
    client = openai.OpenAI(base_url=base_url, api_key="sk-test-PGSECRET", max_retries=0, timeout=60)
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True)
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def in_threads(calls):
    """Runs the calls at once; returns their results in order (re-raising the first failure)."""
    results, errors = [None] * len(calls), []

    def run(i, f):
        try:
            results[i] = f()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    if errors:
        raise errors[0]
    return results


def test_two_recorders_write_one_database_at_once(record, upstream, pg):
    a = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "alpha")
    b = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "beta")
    texts = in_threads([lambda r=r: chat_stream(r.url + "/slow/20/v1") for r in (a, b, a, b, a, b)])
    assert texts == [texts[0]] * 6 and texts[0].startswith("The capital")
    assert a.stop() == 0 and b.stop() == 0
    view = ArchiveView(pg)
    rows = view.list()
    assert len(rows) == 6 and len({r["id"] for r in rows}) == 6
    assert sorted(r["recorder"] for r in rows) == ["alpha"] * 3 + ["beta"] * 3
    assert {r["state"] for r in rows} == {"complete"}
    for r in rows:
        assert view.body(r["id"]) == CHAT


def test_killed_recorder_reads_interrupted_once_its_heartbeat_lapses(record, upstream, pg):
    dead = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "dead")
    live = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "live")
    # 40 chunks 400 ms apart: the live stream outlasts the heartbeat lapse (10 s) after the kill.
    results = {}
    threads = [threading.Thread(target=lambda: results.setdefault("live", chat_stream(live.url + "/slow/400/v1")))]
    threads.append(threading.Thread(target=lambda: results.setdefault("dead", _swallow(lambda: chat_stream(dead.url + "/slow/400/v1")))))
    for t in threads:
        t.start()
    view = ArchiveView(pg)
    time.sleep(2.0)
    dead.proc.send_signal(signal.SIGKILL)
    dead.proc.wait(10)
    killed = time.monotonic()
    by_name = {r["recorder"]: r for r in view.list()}
    assert by_name["dead"]["state"] == "recording" and by_name["live"]["state"] == "recording"
    while time.monotonic() - killed < 20:
        by_name = {r["recorder"]: r for r in view.list()}
        if by_name["dead"]["state"] != "recording":
            break
        time.sleep(0.5)
    lapsed_after = time.monotonic() - killed
    assert by_name["dead"]["state"] == "interrupted"
    assert 7.5 <= lapsed_after <= 13, lapsed_after
    assert by_name["live"]["state"] == "recording"
    dead_chunks = view.tape(by_name["dead"]["id"])[1]
    assert len(dead_chunks) >= 3 and b"".join(c for _, c in dead_chunks) == CHAT[:97 * len(dead_chunks)]
    for t in threads:
        t.join(60)
    assert results["live"].startswith("The capital")
    assert live.stop() == 0
    rows = {r["recorder"]: r for r in view.list()}
    assert rows["live"]["state"] == "complete" and view.body(rows["live"]["id"]) == CHAT
    assert rows["dead"]["state"] == "interrupted"


def _swallow(f):
    try:
        return f()
    except Exception as e:  # noqa: BLE001 - the killed recorder's client fails, as it should
        return e


def test_database_outage_of_5_seconds_under_20_streams_loses_nothing(record, upstream, cluster, pg):
    r = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "steady")
    results = []
    threads = [threading.Thread(target=lambda: results.append(chat_stream(r.url + "/slow/250/v1"))) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    assert cluster.ask("stop") == "stopped"
    time.sleep(5)
    assert cluster.ask("start") == "started"
    for t in threads:
        t.join(90)
    assert len(results) == 20 and set(results) == {results[0]}
    assert r.stop() == 0
    log = r.proc.stderr.read()
    assert "lost the connection to " + pg in log and "reconnected to " + pg in log
    view = ArchiveView(pg)
    rows = view.list()
    assert len(rows) == 20 and {x["state"] for x in rows} == {"complete"}
    for x in rows:
        assert view.body(x["id"]) == CHAT and x["chunks"] == 40


def tape(started, text, tags=()):
    """A one-exchange tape started at `started`."""
    head = {"streamtape": 1, "started": started, "upstream": "http://up",
            "request": {"method": "POST", "target": "/v1/chat/completions", "headers": [["content-type", "application/json"]], "body": "{}"},
            "response": {"status": 200, "t": 0.1, "headers": [["content-type", "text/event-stream"]]}}
    if tags:
        head["tags"] = list(tags)
    return "\n".join(json.dumps(l) for l in [head, {"t": 0.2, "text": text}, {"t": 0.3, "b64": "/w=="}, {"t": 0.4, "end": "complete"}]) + "\n"


def write_tapes(folder):
    specs = [("2020-01-01T00:00:00.000Z", "data: a\n\n", ()), ("2021-06-01T12:00:00.000Z", "data: b\n\n", ("keep",)),
             ("2021-07-01T00:00:00.000Z", "data: c\n\n", ("other",)), ("2030-01-01T00:00:00.000Z", "data: d\n\n", ())]
    paths = []
    for i, (started, text, tags) in enumerate(specs):
        p = Path(folder) / f"{i}.tape.jsonl"
        p.write_text(tape(started, text, tags))
        paths.append(str(p))
    return paths


def exported(archive):
    """Every exchange as its tape (which leaves the archive-local id out), in list order."""
    view = ArchiveView(archive)
    return [view.run("export", str(r["id"]), "--format", "tape") for r in view.list()]


def test_copy_sqlite_to_postgres_to_sqlite_is_lossless_and_idempotent(tmp_path, pg):
    a, b = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    assert st("import", "--archive", a, *write_tapes(tmp_path), str(REPO / "Tests/StreamtapeCoreTests/Fixtures/real-streams/01-openai-chat-text.sse")).returncode == 0
    first = st("copy", a, pg)
    assert first.returncode == 0 and first.stdout.decode() == "copied 5, already there 0, still recording 0\n"
    assert st("copy", a, pg).stdout.decode() == "copied 0, already there 5, still recording 0\n"
    assert st("copy", pg, b).stdout.decode() == "copied 5, already there 0, still recording 0\n"
    assert st("copy", pg, b).stdout.decode() == "copied 0, already there 5, still recording 0\n"
    assert st("copy", b, pg).stdout.decode() == "copied 0, already there 5, still recording 0\n"
    assert exported(a) == exported(pg) == exported(b)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]  # noqa: E731
    assert strip(ArchiveView(a).list()) == strip(ArchiveView(pg).list()) == strip(ArchiveView(b).list())
    only = st("copy", "--tag", "keep", a, str(tmp_path / "c.sqlite"))
    assert only.stdout.decode() == "copied 1, already there 0, still recording 0\n"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_prune_removes_exactly_what_it_says(tmp_path, pg, backend):
    archive = pg if backend == "postgres" else str(tmp_path / "a.sqlite")
    ids = st("import", "--archive", archive, *write_tapes(tmp_path)).stdout.decode().split()
    view = ArchiveView(archive)
    dry = st("prune", "--before", "2022-01-01", "--keep-tag", "keep", "--dry-run", "--archive", archive)
    assert dry.returncode == 0 and dry.stdout.decode().split() == [ids[0], ids[2]]
    assert "would remove 2 exchange(s) started before 2022-01-01T00:00:00.000Z" in dry.stderr.decode()
    assert [str(r["id"]) for r in view.list()] == ids
    done = st("prune", "--before", "2022-01-01", "--keep-tag", "keep", "--archive", archive)
    assert done.returncode == 0 and done.stdout.decode().split() == [ids[0], ids[2]]
    assert [str(r["id"]) for r in view.list()] == [ids[1], ids[3]]
    assert st("show", ids[0], "--archive", archive).returncode == 3
    aged = st("prune", "--older-than", "1d", "--archive", archive)
    assert aged.stdout.decode().split() == [ids[1]]
    assert [str(r["id"]) for r in view.list()] == [ids[3]]


def test_a_password_in_the_uri_is_never_printed(tmp_path, cluster):
    uri = cluster.ask("new").replace("postgresql:///", "postgresql://root:hunter2@/")
    out = st("import", "--archive", uri, *write_tapes(tmp_path)[:1])
    assert out.returncode == 0
    assert "hunter2" not in out.stderr.decode() and "root:***@" in out.stderr.decode()
    wrong = st("list", "--archive", uri.replace("t_", "missing_"))
    assert wrong.returncode == 3 and "hunter2" not in wrong.stderr.decode() and "does not exist" in wrong.stderr.decode()


def test_a_database_written_by_a_newer_streamtape_is_refused(tmp_path, pg):
    assert st("import", "--archive", pg, *write_tapes(tmp_path)[:1]).returncode == 0
    subprocess.run(["psql", "-X", "-q", pg, "-c", "UPDATE streamtape_meta SET value = '99' WHERE key = 'version'"], check=True)
    for args in (["list"], ["import", write_tapes(tmp_path)[0]]):
        out = st(*args, "--archive", pg)
        assert out.returncode == 3
        assert out.stderr.decode() == f"streamtape: {pg} was written by a newer streamtape (archive version 99; this build reads up to 1)\n"


def test_a_stop_while_the_database_is_down_gives_up_after_10_s_and_says_what_was_not_stored(record, upstream, cluster, pg):
    r = record("--upstream", upstream.url, "--archive", pg, "--recorder-name", "stopping", "--drain", "1")
    assert cluster.ask("stop") == "stopped"
    try:
        assert chat_stream(r.url + "/v1").startswith("The capital")  # forwarded; its writes wait in memory
        started = time.monotonic()
        code = r.stop(signal.SIGTERM, timeout=40)
        took = time.monotonic() - started
    finally:
        assert cluster.ask("start") == "started"
    log = r.proc.stderr.read() + "\n".join(json.dumps(line) for line in r.lines)
    assert 10 <= took < 25, took
    assert "the database was still unreachable 10 s after the stop;" in log and "write(s) were not stored" in log, log
    assert code == 4, code


def test_a_database_with_a_schema_version_below_1_is_not_an_archive(tmp_path, pg):
    assert st("import", "--archive", pg, *write_tapes(tmp_path)[:1]).returncode == 0
    subprocess.run(["psql", "-X", "-q", pg, "-c", "UPDATE streamtape_meta SET value = '-1' WHERE key = 'version'"], check=True)
    for args in (["list"], ["import", write_tapes(tmp_path)[0]]):
        out = st(*args, "--archive", pg)
        assert out.returncode == 3
        assert out.stderr.decode() == f"streamtape: {pg} is not a streamtape archive (schema version -1)\n"

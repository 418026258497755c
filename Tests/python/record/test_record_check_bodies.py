"""`check` on what the recorder really stores: normal JSON calls beside streams, and hostile provider numbers."""
import json

import httpx

from record_support import ArchiveView, settled, st

INT_MAX_BLOCK = "../regressions/anthropic-block-index-int-max"   # served by /sse from the core regression inputs


def start(record, upstream, tmp_path):
    path = tmp_path / "checked.sqlite"
    return record("--upstream", upstream.url, "--archive", str(path)), ArchiveView(path)


def check(view, id):
    out = st("check", "--json", str(id), "--archive", view.path)
    return out.returncode, [json.loads(l)["code"] for l in out.stdout.decode().splitlines()]


def test_recorded_json_calls_pass_check(record, upstream, tmp_path):
    recorder, view = start(record, upstream, tmp_path)
    r = httpx.post(recorder.url + "/v1/chat/completions", json={"model": "m", "stream": False, "messages": []}, timeout=10)
    assert r.headers["content-type"] == "application/json"
    g = httpx.get(recorder.url + "/echo", timeout=10)     # a GET answered with JSON, like GET /v1/models
    assert g.status_code == 200
    rows = settled(view, 2)
    assert [row["target"] for row in rows] == ["/v1/chat/completions", "/echo"]
    # Read as streams they once got missing-terminator + unknown-field and unterminated-event (exit 1).
    for row in rows:
        assert check(view, row["id"]) == (0, [])


def test_a_block_index_of_int_max_is_recorded_and_checked_without_a_crash(record, upstream, tmp_path):
    recorder, view = start(record, upstream, tmp_path)
    r = httpx.get(recorder.url + "/sse", params={"file": INT_MAX_BLOCK, "chunk": 40}, timeout=10)
    assert r.text.startswith("event: message_start\n") and r.text.endswith('"text":""}}\n\n')
    [row] = settled(view, 1)
    assert row["state"] == "complete"
    assert recorder.proc.poll() is None, "the recorder is still serving"
    assert check(view, row["id"]) == (1, ["event-order", "missing-terminator"])
    assert st("show", str(row["id"]), "--json", "--archive", view.path).returncode == 0
    again = httpx.post(recorder.url + "/v1/chat/completions", json={"model": "m", "stream": True, "messages": []}, timeout=10)
    assert again.text.endswith("data: [DONE]\n\n")

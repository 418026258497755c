"""The archive holds exactly what the client got: body bytes, chunk boundaries, chunk times, request and response head.

Each stream goes client (curl -N) -> `streamtape record --archive FILE` -> the fake upstream, which
notes the time and bytes of each of its writes (`trace=`). Then the archive is read back the way a
user would: `streamtape list --json` and `streamtape export ID --format tape|sse`.
"""
import json

import pytest

from record_support import ArchiveView, curl, settled
from record_upstream import CORPUS

# (corpus stream, bytes per upstream write, ms between writes). With a gap each write reaches the
# recorder as its own read, so the archive must keep every write as its own chunk.
PACED = [
    ("01-openai-chat-text", 300, 40),
    ("11-anthropic-thinking-haiku", 250, 40),
    ("14-gemini-text-crlf", 70, 40),
    ("13-anthropic-error-overloaded", 9, 40),
    ("17-mistral-magistral-thinking", 3000, 40),
    ("08-anthropic-thinking-text", 1500, 40),
]
# Without a gap writes may arrive together, so the archive may join neighbouring writes. A chunk is one
# read of the upstream socket by libcurl, whose buffer is 16 KiB: only a write bigger than that is split.
BURST = [
    ("02-openai-chat-toolcall-args", 37),
    ("15-gemini-thinking", 17733),
    ("09-anthropic-tool-use-json-delta", 1),
]

CURL_BUFFER = 16384
PACING_SLACK_S = 0.1   # loose: the machine is shared; each chunk's time vs the upstream's write time


@pytest.fixture
def archived(record, upstream, tmp_path):
    """A recorder on a fresh archive; returns (recorder, ArchiveView)."""
    path = tmp_path / "a.sqlite"
    return record("--upstream", upstream.url, "--archive", str(path)), ArchiveView(path)


def one_exchange(view, target):
    rows = [r for r in settled(view, 1) if r["target"] == target]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.mark.parametrize("name, size, delay_ms", PACED)
def test_paced_stream_is_archived_write_for_write_with_the_upstreams_timing(upstream, archived, name, size, delay_ms):
    r, view = archived
    target = f"/sse?file={name}&chunk={size}&delay_ms={delay_ms}&trace={name}"
    got = curl(r.url + target)
    assert got.returncode == 0
    expected = (CORPUS / f"{name}.sse").read_bytes()
    assert got.stdout == expected
    row = one_exchange(view, target)
    writes = upstream.traces[name]
    assert (row["state"], row["status"], row["bytes"], row["chunks"]) == ("complete", 200, len(expected), len(writes))

    assert view.body(row["id"]) == got.stdout, "archived body == what the client got"
    head, chunks, end = view.tape(row["id"])
    assert [b for _, b in chunks] == [b for _, b in writes], "one archived chunk per upstream write, same bytes"

    times = [t for t, _ in chunks]
    assert times == sorted(times), "chunk times never go backwards"
    assert 0 <= head["response"]["t"] <= times[0] <= end["t"] and times[-1] <= end["t"]
    w0, t0 = writes[0][0], times[0]
    drift = [abs((t - t0) - (w - w0)) for t, (w, _) in zip(times, writes)]
    assert max(drift) < PACING_SLACK_S, f"chunk times follow the upstream's writes (worst {max(drift) * 1000:.1f} ms)"
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) > delay_ms / 1000 / 2, f"each gap close to {delay_ms} ms, got min {min(gaps) * 1000:.1f} ms"
    assert end == {"t": end["t"], "end": "complete"}


@pytest.mark.parametrize("name, size", BURST)
def test_burst_stream_is_archived_byte_exact_with_chunks_made_only_of_whole_writes(upstream, archived, name, size):
    r, view = archived
    target = f"/sse?file={name}&chunk={size}&trace={name}-burst"
    got = curl(r.url + target)
    expected = (CORPUS / f"{name}.sse").read_bytes()
    assert got.returncode == 0 and got.stdout == expected
    row = one_exchange(view, target)
    assert view.body(row["id"]) == expected
    _, chunks, end = view.tape(row["id"])
    assert end["end"] == "complete"
    write_spans, pos = [], 0
    for _, b in upstream.traces[f"{name}-burst"]:
        write_spans.append((pos, pos + len(b)))
        pos += len(b)
    chunk_ends, pos = [], 0
    for _, b in chunks:
        pos += len(b)
        chunk_ends.append(pos)
    for e in chunk_ends:
        [(a, b)] = [(a, b) for a, b in write_spans if a < e <= b]
        assert e == b or b - a > CURL_BUFFER, f"chunk end {e} splits the write {a}..{b}, which fits libcurl's buffer"
    assert all(len(b) <= CURL_BUFFER for _, b in chunks)
    splits = sum((b - a - 1) // CURL_BUFFER for a, b in write_spans)
    assert len(chunks) == row["chunks"] and 1 <= len(chunks) <= len(write_spans) + splits
    times = [t for t, _ in chunks]
    assert times == sorted(times)


def test_request_and_response_heads_are_recorded(upstream, archived):
    r, view = archived
    body = json.dumps({"model": "m", "stream": True, "messages": [{"role": "user", "content": "héllo"}]})
    target = "/sse?file=04-openai-responses-text&chunk=500&delay_ms=5&x=1%202"
    got = curl(r.url + target, "-X", "PUT", "-H", "content-type: application/json", "-H", "x-trace-me: 42",
               "--data-binary", body)
    assert got.stdout == (CORPUS / "04-openai-responses-text.sse").read_bytes()
    row = one_exchange(view, target)
    assert (row["method"], row["upstream"]) == ("PUT", upstream.url)
    head, _, _ = view.tape(row["id"])
    req = head["request"]
    assert (req["method"], req["target"], req["body"]) == ("PUT", target, body)
    assert ["content-type", "application/json"] in req["headers"]
    assert ["x-trace-me", "42"] in req["headers"]
    [seen] = [q for q in upstream.requests if q["path"] == target]
    assert seen["body"] == body.encode(), "the upstream got the same body"
    resp = head["response"]
    assert resp["status"] == 200
    names = [k.lower() for k, _ in resp["headers"]]
    assert ["content-type", "text/event-stream"] in [[k.lower(), v] for k, v in resp["headers"]]
    assert ["cache-control", "no-cache"] in [[k.lower(), v] for k, v in resp["headers"]]
    assert "server" in names and "date" in names, "the upstream's other headers are kept too"
    assert head["upstream"] == upstream.url


def test_a_json_error_response_is_archived_with_its_status_and_body(upstream, archived):
    r, view = archived
    got = curl(r.url + "/status/429")
    row = one_exchange(view, "/status/429")
    assert (row["status"], row["state"]) == (429, "complete")
    assert view.body(row["id"]) == got.stdout
    assert json.loads(got.stdout)["error"]["message"] == "status 429 as asked"

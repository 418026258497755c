#!/usr/bin/env python3
"""Generates the sample tapes in captures/ and their README, deterministically.

    python3 scripts/make_captures.py          # (re)write captures/*.tape.jsonl and captures/README.md
    python3 scripts/make_captures.py --check  # fail if the files on disk differ from what would be written

Two kinds of tape:
- clean samples built from the real provider streams in
  Tests/StreamtapeCoreTests/Fixtures/real-streams/ (bodies byte-exact; the chunk boundaries and
  timings are chosen here, because the corpus kept no timing), plus one Ollama NDJSON stream written
  from the public format docs;
- small broken samples written for streamtape, one per diagnostic code.

The tape text matches `Tape.encode` in Sources/StreamtapeCore/Formats/Tape.swift byte for byte (key
order, seconds format, string escaping). Every tape is read back and checked before it is written:
valid JSON lines, times that never go backwards, the end line last, the corpus events recovered by a
WHATWG SSE parser fed chunk by chunk, and the property each broken sample is meant to show.
Python 3.11, standard library only; no clock, no unseeded randomness.
"""

from __future__ import annotations

import base64
import datetime
import email.utils
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS_REL = "Tests/StreamtapeCoreTests/Fixtures/real-streams"
CORPUS = ROOT / CORPUS_REL
OUT = ROOT / "captures"

# All tapes start on this day; each gets its own minute so they sort in the order listed below.
BASE_MS = 1_795_676_400_000  # 2026-11-26T07:00:00.000Z


# ---------------------------------------------------------------------------------------------
# Tape text, exactly as Tape.swift writes it


def quote(s: str) -> str:
    """A JSON string literal the way JSONText.quote writes it."""
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif c < 0x20 or c == 0x7F or c == 0x2028 or c == 0x2029:
            out.append("\\u%04x" % c)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def seconds(ns: int) -> str:
    """Seconds.format: `231045000` -> `0.231045`, always at least one decimal."""
    frac = "%09d" % (ns % 1_000_000_000)
    frac = frac.rstrip("0") or "0"
    return "%d.%s" % (ns // 1_000_000_000, frac)


def iso(ms: int) -> str:
    """WallClock.iso: `2026-11-26T07:00:00.123Z`."""
    d = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def bytes_member(text_key: str, b64_key: str, data: bytes) -> str:
    try:
        return quote(text_key) + ":" + quote(data.decode("utf-8", errors="strict"))
    except UnicodeDecodeError:
        return quote(b64_key) + ":" + quote(base64.b64encode(data).decode("ascii"))


def headers_member(headers: list[tuple[str, str]]) -> str:
    return '"headers":[' + ",".join("[%s,%s]" % (quote(n), quote(v)) for n, v in headers) + "]"


@dataclass
class Tape:
    """One exchange, as the tape file holds it."""

    name: str
    started_ms: int
    upstream: str
    method: str
    target: str
    req_headers: list[tuple[str, str]]
    req_body: bytes
    status: int | None
    head_ns: int
    resp_headers: list[tuple[str, str]]
    chunks: list[tuple[int, bytes]]
    end_ns: int
    end_state: str
    end_error: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None

    def encode(self) -> str:
        h = ['{"streamtape":1', '"started":' + quote(iso(self.started_ms)), '"upstream":' + quote(self.upstream)]
        req = ['"method":' + quote(self.method), '"target":' + quote(self.target), headers_member(self.req_headers)]
        if self.req_body:
            req.append(bytes_member("body", "body_b64", self.req_body))
        h.append('"request":{' + ",".join(req) + "}")
        if self.status is not None:
            h.append('"response":{"status":%d,"t":%s,%s}' % (self.status, seconds(self.head_ns), headers_member(self.resp_headers)))
        if self.tags:
            h.append('"tags":[' + ",".join(quote(t) for t in sorted(self.tags)) + "]")
        if self.note is not None:
            h.append('"note":' + quote(self.note))
        lines = [",".join(h) + "}"]
        for t, b in self.chunks:
            lines.append('{"t":%s,%s}' % (seconds(t), bytes_member("text", "b64", b)))
        end = '{"t":%s,"end":%s' % (seconds(self.end_ns), quote(self.end_state))
        if self.end_error is not None:
            end += ',"error":' + quote(self.end_error)
        lines.append(end + "}")
        return "\n".join(lines) + "\n"

    @property
    def body(self) -> bytes:
        return b"".join(b for _, b in self.chunks)


# ---------------------------------------------------------------------------------------------
# Reading a tape back (independent of the writer) and parsing its stream


END_STATES = {"complete", "client_disconnected", "upstream_error", "upstream_reset", "proxy_error", "interrupted", "recording"}


def read_back(text: str) -> dict:
    """Parses tape text with json.loads and checks the invariants Tape.decode enforces."""
    raw = text.encode("utf-8")
    assert raw.endswith(b"\n"), "tape must end with a newline"
    lines = raw[:-1].split(b"\n")
    head = json.loads(lines[0])
    assert list(head)[:2] == ["streamtape", "started"] and head["streamtape"] == 1
    assert list(head["request"])[:3] == ["method", "target", "headers"]
    chunks, end, prev = [], None, -1.0
    for n, line in enumerate(lines[1:], start=2):
        assert end is None, "line %d after the end line" % n
        o = json.loads(line)
        t = o["t"]
        assert isinstance(t, (int, float)) and not isinstance(t, bool) and t >= 0, "line %d: bad t" % n
        if "end" in o:
            assert o["end"] in END_STATES, o["end"]
            assert set(o) <= {"t", "end", "error"}
            assert t >= prev, "end before the last chunk"
            end = o
            continue
        assert t >= prev, "line %d: time goes backwards" % n
        prev = t
        if "text" in o:
            b = o["text"].encode("utf-8")
        else:
            b = base64.b64decode(o["b64"], validate=True)
            try:
                b.decode("utf-8")
                raise AssertionError("line %d: b64 used for valid UTF-8" % n)
            except UnicodeDecodeError:
                pass
        chunks.append((t, b))
    assert end is not None, "no end line"
    if "response" in head and chunks:
        assert head["response"]["t"] <= chunks[0][0], "first chunk before the response head"
    return {"head": head, "chunks": chunks, "end": end}


@dataclass
class Parsed:
    events: list[dict]
    unknown_fields: list[str]
    endings: dict
    unterminated: str | None


def parse_sse(chunks: list[bytes]) -> Parsed:
    """A WHATWG event-stream parser fed chunk by chunk (a CR is held until the next byte)."""
    events, unknown, endings = [], [], {"LF": 0, "CRLF": 0, "CR": 0}
    line, saw_cr = bytearray(), False
    data, has_data, etype, last_id = bytearray(), False, b"", ""

    def end_line(kind: str) -> None:
        nonlocal data, has_data, etype, last_id
        endings[kind] += 1
        if not line:
            if has_data:
                d = bytes(data[:-1]) if data.endswith(b"\n") else bytes(data)
                events.append({"event": etype.decode("utf-8", "replace") or "message",
                               "data": d.decode("utf-8", "replace"), "id": last_id})
            data, has_data, etype = bytearray(), False, b""
            return
        if line[:1] == b":":
            line.clear()
            return
        name, _, value = bytes(line).partition(b":")
        if value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            data += value + b"\n"
            has_data = True
        elif name == b"event":
            etype = value
        elif name == b"id":
            if b"\0" not in value:
                last_id = value.decode("utf-8", "replace")
        elif name == b"retry":
            pass
        else:
            unknown.append(name.decode("utf-8", "replace"))
        line.clear()

    for chunk in chunks:
        for b in chunk:
            if saw_cr:
                saw_cr = False
                if b == 0x0A:
                    end_line("CRLF")
                    continue
                end_line("CR")
            if b == 0x0D:
                saw_cr = True
            elif b == 0x0A:
                end_line("LF")
            else:
                line.append(b)
    if saw_cr:
        end_line("CR")
    if line:
        end_line("LF")  # the partial line still sets its field; it is not a real line end
        endings["LF"] -= 1
    pending = None
    if has_data:
        pending = (bytes(data[:-1]) if data.endswith(b"\n") else bytes(data)).decode("utf-8", "replace")
    return Parsed(events, unknown, endings, pending)


# ---------------------------------------------------------------------------------------------
# Deterministic choices: a seeded splitmix64, chunk boundaries, timings


class Rng:
    """splitmix64, seeded from a name, so every tape's choices are fixed and independent."""

    MASK = (1 << 64) - 1

    def __init__(self, name: str) -> None:
        self.s = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")

    def next(self) -> int:
        self.s = (self.s + 0x9E3779B97F4A7C15) & self.MASK
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def unit(self) -> float:
        return (self.next() >> 11) / float(1 << 53)

    def us(self, lo_ms: float, hi_ms: float) -> int:
        """A duration in [lo, hi) ms, in whole microseconds, returned as ns."""
        return int((lo_ms + (hi_ms - lo_ms) * self.unit()) * 1000) * 1000

    def below(self, n: int) -> int:
        return self.next() % n


def event_ends(body: bytes) -> list[int]:
    """Offsets just past each blank line (the end of each SSE event)."""
    ends, i, n = [], 0, len(body)
    line_empty = True
    while i < n:
        b = body[i]
        if b in (0x0A, 0x0D):
            j = i + 2 if body[i:i + 2] == b"\r\n" else i + 1
            if line_empty:
                ends.append(j)
            line_empty = True
            i = j
        else:
            line_empty = False
            i += 1
    return ends


def cut(body: bytes, rng: Rng, *, forced: tuple[int, ...] = (),
        p_join: float = 0.22, p_split: float = 0.08) -> list[tuple[bytes, bool]]:
    """Splits a body into reads the way a network delivers them.

    Most reads end at an event boundary; sometimes two or three events arrive together
    (`p_join`), and sometimes an event is cut inside (`p_split`) and its rest arrives within a
    millisecond. Random inside cuts never land inside a UTF-8 character or a CRLF; `forced` cuts
    do exactly what they say. Returns (bytes, ends_inside_event) pairs.
    """
    bounds = event_ends(body)
    cuts: dict[int, bool] = {}
    prev = 0
    for b in bounds:
        size = b - prev
        if size > 48 and rng.unit() < p_split:
            pos = prev + 12 + rng.below(size - 24)
            while pos < b - 2 and ((body[pos] & 0xC0) == 0x80 or body[pos - 1] == 0x0D):
                pos += 1
            cuts[pos] = True
        if b < len(body) and rng.unit() >= p_join:
            cuts[b] = False
        prev = b
    for f in forced:
        cuts[f] = True
        for near in range(f + 1, f + 4):  # the rest of a cut CRLF or character starts the next read
            cuts.pop(near, None)
    out, start = [], 0
    for pos in sorted(cuts):
        if 0 < pos < len(body):
            out.append((body[start:pos], cuts[pos]))
            start = pos
    out.append((body[start:], False))
    return out


def timed(pieces: list[tuple[bytes, bool]], rng: Rng, first_ns: int, gap_ms=(10.0, 80.0)) -> list[tuple[int, bytes]]:
    """Gives each read a time: the first at `first_ns`, then 10-80 ms between events and under a
    millisecond after a read that ended inside an event (the rest of one write)."""
    out, t = [], first_ns
    for i, (b, inside) in enumerate(pieces):
        if i > 0:
            t += rng.us(0.04, 0.9) if pieces[i - 1][1] else rng.us(*gap_ms)
        out.append((t, b))
    return out


# ---------------------------------------------------------------------------------------------
# Plausible headers (names and values chosen; credentials shown the way the recorder stores them)


def hexid(label: str, n: int) -> str:
    return hashlib.sha256(label.encode()).hexdigest()[:n]


def redacted(key_label: str) -> str:
    return "redacted:" + hexid("credential " + key_label, 8)


def http_date(started_ms: int, head_ns: int) -> str:
    return email.utils.formatdate((started_ms + head_ns // 1_000_000) // 1000, usegmt=True)


def request_headers(provider: str, stream_accept: bool = False) -> list[tuple[str, str]]:
    ct = ("content-type", "application/json")
    if provider == "openai":
        return [ct, ("accept", "application/json"), ("authorization", redacted("openai"))]
    if provider == "anthropic":
        return [ct, ("accept", "application/json"), ("anthropic-version", "2023-06-01"), ("x-api-key", redacted("anthropic"))]
    if provider == "gemini":
        return [ct, ("x-goog-api-key", redacted("gemini"))]
    if provider == "mistral":
        return [ct, ("accept", "text/event-stream"), ("authorization", redacted("mistral"))]
    if provider == "gateway":
        return [ct, ("accept", "text/event-stream" if stream_accept else "application/json"), ("authorization", redacted("gateway"))]
    if provider == "ollama":
        return [ct]
    if provider == "local":
        return [ct, ("accept", "text/event-stream")]
    raise ValueError(provider)


def response_headers(provider: str, name: str, started_ms: int, head_ns: int,
                     content_type: str | None = None) -> list[tuple[str, str]]:
    date = http_date(started_ms, head_ns)
    ms = str(max(1, head_ns // 1_000_000 - 40))
    if provider == "openai":
        return [("date", date), ("content-type", content_type or "text/event-stream; charset=utf-8"),
                ("access-control-expose-headers", "X-Request-ID"), ("openai-processing-ms", ms),
                ("openai-version", "2020-10-01"), ("x-request-id", "req_" + hexid(name + " request", 32)),
                ("strict-transport-security", "max-age=31536000; includeSubDomains; preload"),
                ("cf-cache-status", "DYNAMIC"), ("x-content-type-options", "nosniff"), ("server", "cloudflare"),
                ("cf-ray", hexid(name + " ray", 16) + "-AMS"), ("alt-svc", 'h3=":443"; ma=86400')]
    if provider == "anthropic":
        return [("date", date), ("content-type", content_type or "text/event-stream; charset=utf-8"),
                ("cache-control", "no-cache"), ("request-id", "req_011C" + hexid(name + " request", 20)),
                ("strict-transport-security", "max-age=31536000; includeSubDomains; preload"),
                ("via", "1.1 google"), ("cf-cache-status", "DYNAMIC"), ("x-robots-tag", "none"),
                ("server", "cloudflare"), ("cf-ray", hexid(name + " ray", 16) + "-AMS")]
    if provider == "gemini":
        return [("content-type", content_type or "text/event-stream"), ("content-disposition", "attachment"),
                ("vary", "Origin"), ("vary", "X-Origin"), ("vary", "Referer"), ("date", date),
                ("server", "scaffolding on HTTPServer2"), ("x-xss-protection", "0"),
                ("x-frame-options", "SAMEORIGIN"), ("x-content-type-options", "nosniff"),
                ("server-timing", "gfet4t7; dur=" + ms),
                ("alt-svc", 'h3=":443"; ma=2592000,h3-29=":443"; ma=2592000')]
    if provider == "mistral":
        return [("date", date), ("content-type", content_type or "text/event-stream; charset=utf-8"),
                ("mistral-correlation-id", hexid(name + " corr", 32)), ("x-kong-request-id", hexid(name + " kong", 24)),
                ("x-envoy-upstream-service-time", ms), ("cf-cache-status", "DYNAMIC"), ("server", "cloudflare"),
                ("cf-ray", hexid(name + " ray", 16) + "-CDG")]
    if provider == "ollama":
        return [("Content-Type", content_type or "application/x-ndjson"), ("Date", date)]
    if provider in ("gateway", "local"):
        return [("date", date), ("server", "uvicorn"), ("content-type", content_type or "text/event-stream; charset=utf-8"),
                ("cache-control", "no-cache"), ("x-accel-buffering", "no")]
    if provider == "llamacpp":
        return [("Keep-Alive", "timeout=5, max=100"), ("Content-Type", content_type or "text/event-stream"),
                ("Server", "llama.cpp"), ("Access-Control-Allow-Origin", "")]
    raise ValueError(provider)


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Samples


@dataclass
class Sample:
    tape: Tape
    dialect: str
    code: str  # diagnostic code it shows, or "clean"
    teaches: str
    source: str  # corpus stream id or "written for streamtape"
    corpus_id: str | None = None
    check: object = None  # callable(Parsed, dict) -> None, extra assertions
    lint: set = field(default_factory=set)  # what the script's own lint found (filled in by validate)


SAMPLES: list[Sample] = []
INDEX: dict[str, dict] = {}


def load_index() -> None:
    lines = (CORPUS / "INDEX.tsv").read_text(encoding="utf-8").splitlines()
    keys = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(keys, line.split("\t")))
        INDEX[row["filename"].split("-")[0]] = row


def corpus_files(cid: str) -> dict[str, Path]:
    stem = INDEX[cid]["filename"][: -len(".sse")]
    return {k: CORPUS / (stem + ext) for k, ext in
            [("sse", ".sse"), ("request", ".request.json"), ("events", ".events.jsonl")]}


LICENCES = {"pydantic/pydantic-ai": "MIT", "simonw/llm": "Apache-2.0", "simonw/llm-anthropic": "Apache-2.0",
            "Helicone/helicone": "Apache-2.0"}


def next_start() -> int:
    return BASE_MS + len(SAMPLES) * 60_000 + 123 + 37 * len(SAMPLES)


def from_corpus(name: str, cid: str, provider: str, dialect: str, teaches: str, *, forced=(), note: str,
                code: str = "clean", p_join: float = 0.22, p_split: float = 0.08, rng_name: str | None = None,
                body: bytes | None = None, upstream: str | None = None, resp_provider: str | None = None,
                check=None, source: str | None = None) -> Sample:
    files = corpus_files(cid)
    req = json.loads(files["request"].read_text(encoding="utf-8"))
    url = urlsplit(req["uri"])  # the fragment (`#stream` in one cassette) never goes on the wire
    target = url.path + ("?" + url.query if url.query else "")
    body = files["sse"].read_bytes() if body is None else body
    rng = Rng(rng_name or name)
    started = next_start()
    head = rng.us(200, 560)
    pieces = cut(body, rng, forced=forced, p_join=p_join, p_split=p_split)
    chunks = timed(pieces, rng, head + rng.us(0.2, 4))
    end = chunks[-1][0] + rng.us(0.2, 2.5)
    tape = Tape(name=name, started_ms=started, upstream=upstream or "%s://%s" % (url.scheme, url.netloc),
                method=req["method"], target=target, req_headers=request_headers(provider), req_body=compact(req["body"]),
                status=req.get("response_status", 200), head_ns=head,
                resp_headers=response_headers(resp_provider or provider, name, started, head, req.get("response_content_type")),
                chunks=chunks, end_ns=end, end_state="complete", tags=[dialect, code], note=note)
    row = INDEX[cid]
    return Sample(tape, dialect, code, teaches, source or "corpus %s (`%s`)" % (cid, row["filename"][:-4]), cid, check)


def written(name: str, *, upstream: str, target: str, provider: str, req_body: dict, body_parts: list[bytes],
            dialect: str, code: str, teaches: str, note: str, status: int = 200, content_type: str | None = None,
            resp_provider: str | None = None, end_state: str = "complete", end_error: str | None = None,
            head_ms: tuple[float, float] = (200, 560), first_ms: float | None = None,
            gaps: dict[int, float] | None = None, check=None,
            stream_accept: bool = False, p_join: float = 0.0) -> Sample:
    """A hand-written exchange: `body_parts` are the events (or lines) in order; reads end at
    event boundaries unless a part is given as a tuple of pieces; `gaps` overrides the gap in ms
    before the read with that index."""
    rng = Rng(name)
    started = next_start()
    head = rng.us(*head_ms)
    reads: list[tuple[bytes, bool]] = []
    for p in body_parts:
        if isinstance(p, tuple):
            reads += [(x, i < len(p) - 1) for i, x in enumerate(p)]
        else:
            reads.append((p, False))
    # sometimes two events in one read
    merged: list[tuple[bytes, bool]] = []
    for b, inside in reads:
        if merged and not merged[-1][1] and p_join and rng.unit() < p_join:
            merged[-1] = (merged[-1][0] + b, inside)
        else:
            merged.append((b, inside))
    first = head + rng.us(0.2, 4) if first_ms is None else int(first_ms * 1_000_000)
    chunks = timed(merged, rng, first)
    if gaps:
        fixed = chunks[:1]
        for i in range(1, len(chunks)):
            step = int(gaps[i] * 1_000_000) if i in gaps else chunks[i][0] - chunks[i - 1][0]
            fixed.append((fixed[-1][0] + step, chunks[i][1]))
        chunks = fixed
    end = (chunks[-1][0] if chunks else head) + rng.us(0.2, 2.5)
    tape = Tape(name=name, started_ms=started, upstream=upstream, method="POST", target=target,
                req_headers=request_headers(provider, stream_accept), req_body=compact(req_body), status=status,
                head_ns=head, resp_headers=response_headers(resp_provider or provider, name, started, head, content_type),
                chunks=chunks, end_ns=end, end_state=end_state, end_error=end_error, tags=[dialect, code], note=note)
    return Sample(tape, dialect, code, teaches, "written for streamtape", None, check)


# --- helpers to write provider events ---------------------------------------------------------


def sse(obj_or_text, event: str | None = None, eol: bytes = b"\n") -> bytes:
    data = obj_or_text if isinstance(obj_or_text, (bytes, str)) else compact(obj_or_text)
    if isinstance(data, str):
        data = data.encode("utf-8")
    head = b"event: " + event.encode() + eol if event else b""
    return head + b"data: " + data + eol + eol


def chat_chunk(cid: str, model: str, delta: dict, finish=None, created=1795683601, usage="omit", fp="fp_b3b7bb5d2c") -> dict:
    o = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model}
    if fp:
        o["system_fingerprint"] = fp
    o["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
    if usage != "omit":
        o["usage"] = usage
    return o


def chat_stream(cid: str, model: str, words: list[str], *, fp="fp_b3b7bb5d2c", done=True, finish=True) -> list[bytes]:
    parts = [sse(chat_chunk(cid, model, {"role": "assistant", "content": ""}, fp=fp))]
    parts += [sse(chat_chunk(cid, model, {"content": w}, fp=fp)) for w in words]
    if finish:
        parts.append(sse(chat_chunk(cid, model, {}, "stop", fp=fp)))
    if done:
        parts.append(b"data: [DONE]\n\n")
    return parts


def chat_request(model: str, prompt: str, **extra) -> dict:
    return {"model": model, "messages": [{"role": "user", "content": prompt}], "stream": True, **extra}


def anth(event: str, obj: dict) -> bytes:
    return sse(obj, event)


def anth_start(msg_id: str, model: str, input_tokens: int) -> list[bytes]:
    return [
        anth("message_start", {"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                      "output_tokens": 1, "service_tier": "standard"}}}),
        anth("content_block_start", {"type": "content_block_start", "index": 0,
                                     "content_block": {"type": "text", "text": ""}}),
        anth("ping", {"type": "ping"}),
    ]


def text_delta(index: int, text: str) -> dict:
    return {"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": text}}


def anth_end(stop_reason: str, output_tokens: int, index: int = 0) -> list[bytes]:
    return [
        anth("content_block_stop", {"type": "content_block_stop", "index": index}),
        anth("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                               "usage": {"output_tokens": output_tokens}}),
        anth("message_stop", {"type": "message_stop"}),
    ]


def anth_request(model: str, prompt: str, **extra) -> dict:
    return {"model": model, "max_tokens": 1024, "messages": [{"role": "user", "content": prompt}], "stream": True, **extra}


# --- the samples ------------------------------------------------------------------------------


def expect(cond: bool, what: str) -> None:
    if not cond:
        raise AssertionError(what)


def build() -> None:
    load_index()
    add = SAMPLES.append

    # 1. Clean samples from real provider streams ----------------------------------------------
    add(from_corpus("openai-chat-text", "01", "openai", "openai-chat",
                    "a plain Chat Completions text stream: `data:` JSON chunks, then `data: [DONE]`",
                    note="Real OpenAI Chat Completions text stream (corpus 01); chunk boundaries and timing chosen."))
    add(from_corpus("openai-chat-tool-calls", "03", "openai", "openai-chat",
                    "two parallel tool calls: `tool_calls[].index` keys the calls, `arguments` arrive in pieces",
                    note="Real OpenAI Chat Completions stream with two parallel tool calls (corpus 03); chunk boundaries and timing chosen."))
    add(from_corpus("mistral-thinking", "17", "mistral", "openai-chat",
                    "an OpenAI-compatible API with reasoning: Mistral sends `content` as a list of `thinking`/`text` parts",
                    note="Real Mistral Magistral stream with thinking parts (corpus 17); chunk boundaries and timing chosen."))
    add(from_corpus("openai-responses-text", "04", "openai", "openai-responses",
                    "Responses API typed events (`response.*`, numbered by `sequence_number`) with encrypted "
                    "reasoning, ending in `response.completed`",
                    note="Real OpenAI Responses text stream (corpus 04); chunk boundaries and timing chosen."))
    add(from_corpus("openai-responses-function-call", "05", "openai", "openai-responses",
                    "a Responses function call: `output_item.added` names it, `function_call_arguments.delta` fills "
                    "it; an older recording whose events carry no `sequence_number`, so a checker must not demand one",
                    note="Real OpenAI Responses function-call stream (corpus 05); chunk boundaries and timing chosen."))
    add(from_corpus("anthropic-thinking-text", "08", "anthropic", "anthropic",
                    "Anthropic Messages with a thinking block, then a text block; `ping` events in between",
                    note="Real Anthropic Messages stream with thinking then text (corpus 08); chunk boundaries and timing chosen."))
    add(from_corpus("anthropic-tool-use", "09", "anthropic", "anthropic",
                    "Anthropic tool use: text, server tool search, then a `tool_use` block filled by `input_json_delta`",
                    note="Real Anthropic Messages stream with tool use (corpus 09); chunk boundaries and timing chosen."))
    # Gemini 14: one read ends between the CR and the LF of the blank line that ends event 1.
    g14 = (CORPUS / (INDEX["14"]["filename"])).read_bytes()
    crlf_cut = g14.index(b"\r\n\r\n") + 3
    add(from_corpus("gemini-text-crlf", "14", "gemini", "gemini",
                    "Gemini `alt=sse`: CRLF line ends, whole response objects, no end sentinel (the final "
                    "`finishReason` ends it); one read ends between a CR and its LF, so a parser must hold the CR",
                    forced=(crlf_cut,), p_split=0.0,
                    note="Real Gemini stream with CRLF line ends (corpus 14); chunk boundaries and timing chosen: "
                         "chunk 1 ends between the CR and the LF of the blank line that ends the first event.",
                    check=lambda p, t: expect(t.chunks[0][1].endswith(b"\r") and t.chunks[1][1].startswith(b"\n"),
                                              "gemini-text-crlf: the CRLF split is not at chunk 1/2")))
    add(from_corpus("gemini-thinking", "15", "gemini", "gemini",
                    "Gemini thinking: parts with `thought: true` are reasoning, the rest is text",
                    note="Real Gemini 2.5 Pro stream with thought parts (corpus 15); chunk boundaries and timing chosen."))

    # Ollama NDJSON, written from the public API docs (/api/chat streams one JSON object per line).
    words = ["The", " sky", " looks", " blue", " because", " air", " molecules", " scatter", " short", ",", " blue",
             " wavelengths", " of", " sunlight", " much", " more", " than", " long", ",", " red", " ones", ".",
             " This", " is", " called", " Rayleigh", " scattering", "."]
    lines = [compact({"model": "llama3.2", "created_at": "@TS@", "message": {"role": "assistant", "content": w},
                      "done": False}) + b"\n" for w in words]
    lines.append(compact({"model": "llama3.2", "created_at": "@TS@", "message": {"role": "assistant", "content": ""},
                          "done_reason": "stop", "done": True, "total_duration": 1593187042, "load_duration": 38166250,
                          "prompt_eval_count": 31, "prompt_eval_duration": 112804000, "eval_count": 29,
                          "eval_duration": 1297552000}) + b"\n")
    ollama = written("ollama-chat", upstream="http://127.0.0.1:11434", target="/api/chat", provider="ollama",
                     req_body={"model": "llama3.2", "messages": [{"role": "user", "content": "Why is the sky blue? One sentence."}]},
                     body_parts=lines, dialect="ollama", code="clean",
                     teaches="Ollama NDJSON: one JSON object per line, `\"done\":false` until a final `\"done\":true` with `done_reason`",
                     note="Ollama /api/chat NDJSON stream written for streamtape from the public API docs; timing chosen.")
    # created_at: the server's clock (Go RFC 3339 with nanoseconds, zeros trimmed), 0.3 ms before each line arrives
    t0 = ollama.tape.started_ms * 1_000_000
    ollama.tape.chunks = [(t, b.replace(b"@TS@", go_time(t0 + t - 300_000).encode())) for t, b in ollama.tape.chunks]
    add(ollama)

    # 2. Broken samples, one per diagnostic ---------------------------------------------------
    local = "http://127.0.0.1:8000"   # a self-hosted OpenAI-compatible server
    gateway = "http://127.0.0.1:4000"  # a gateway in front of a provider

    parts = chat_stream("chatcmpl-7c1f0a", "qwen2.5-7b-instruct", ["Hello", "!", " Nice", " to", " meet", " you", "."], fp=None)
    parts[-1] = b"data: [DONE]\n"
    add(written("openai-unterminated-event", upstream=local, target="/v1/chat/completions", provider="local",
                req_body=chat_request("qwen2.5-7b-instruct", "Say hello in five words."), body_parts=parts,
                dialect="openai-chat", code="unterminated-event",
                teaches="the server writes `data: [DONE]` with one newline instead of two, so that event never ends; "
                        "a spec-conforming client drops it and never sees `[DONE]`",
                note="Self-hosted OpenAI-compatible server; the final `data: [DONE]` is followed by one LF, not a blank line.",
                check=lambda p, t: expect(p.unterminated == "[DONE]", "no unterminated [DONE]")))

    # llama.cpp-style token streaming that splits one emoji over two tokens: each event carries half.
    sun = "\U0001F305".encode("utf-8")
    m = "gemma-3-4b-it"
    parts = [sse(chat_chunk("chatcmpl-lc2", m, {"role": "assistant", "content": None}, fp=None))]
    for w in ["Good", " morning", "! "]:
        parts.append(sse(chat_chunk("chatcmpl-lc2", m, {"content": w}, fp=None)))
    for half in (sun[:2], sun[2:]):
        parts.append(b'data: {"id":"chatcmpl-lc2","object":"chat.completion.chunk","created":1795683601,"model":"'
                     + m.encode() + b'","choices":[{"index":0,"delta":{"content":"' + half
                     + b'"},"logprobs":null,"finish_reason":null}]}\n\n')
    parts += [sse(chat_chunk("chatcmpl-lc2", m, {}, "stop", fp=None)), b"data: [DONE]\n\n"]
    add(written("llamacpp-invalid-utf8", upstream="http://127.0.0.1:8080", target="/v1/chat/completions",
                provider="local", resp_provider="llamacpp", req_body=chat_request(m, "Greet me with an emoji."),
                body_parts=parts, dialect="openai-chat", code="invalid-utf8",
                teaches="a local server streams token by token and one emoji (4 bytes) spans two tokens: each event "
                        "carries half of it, so the joined stream is not UTF-8 and clients show U+FFFD",
                note="OpenAI-compatible llama.cpp-style server; the bytes F0 9F and 8C 85 of U+1F305 arrive in two separate events.",
                check=lambda p, t: expect(_not_utf8(t.body), "body is valid UTF-8")))

    cid, m = "chatcmpl-9d2e41", "gpt-4o-mini-2024-07-18"
    parts = chat_stream(cid, m, ["Paris", " is", " the", " capital", " of", " France", "."], done=False)
    parts.append(compact({"id": cid, "object": "chat.completion.chunk", "created": 1795683601, "model": m,
                          "system_fingerprint": "fp_b3b7bb5d2c", "choices": [],
                          "usage": {"prompt_tokens": 14, "completion_tokens": 8, "total_tokens": 22}}) + b"\n\n")
    parts.append(b"data: [DONE]\n\n")
    add(written("openai-unknown-field", upstream=gateway, target="/v1/chat/completions", provider="gateway",
                req_body=chat_request("gpt-4o-mini", "What is the capital of France?", stream_options={"include_usage": True}),
                body_parts=parts, dialect="openai-chat", code="unknown-field",
                teaches="a gateway writes the usage chunk without `data: `, so the line's field name is `{\"id\"` and "
                        "every client ignores it: the token usage is silently lost",
                note="Gateway in front of OpenAI; the final usage chunk is a bare JSON line, missing its `data: ` prefix.",
                check=lambda p, t: expect(p.unknown_fields == ['{"id"'], "unknown fields %r" % p.unknown_fields)))

    # Gemini (corpus 14) through a gateway that adds LF-only keep-alive comments to a CRLF stream.
    ev = g14.split(b"\r\n\r\n")
    mixed = ev[0] + b"\r\n\r\n" + b": keep-alive\n\n" + ev[1] + b"\r\n\r\n" + b": keep-alive\n\n" + ev[2] + b"\r\n\r\n"
    add(from_corpus("gemini-mixed-line-endings", "14", "gateway", "gemini",
                    "a gateway adds `: keep-alive` comments ending in LF to Gemini's CRLF stream; the events "
                    "survive in a spec-conforming parser, but hand-written splitters on `\\r\\n\\r\\n` or `\\n\\n` break",
                    code="mixed-line-endings", body=mixed, upstream=gateway, resp_provider="gemini", p_join=0.0, p_split=0.0,
                    note="Real Gemini stream (corpus 14) as relayed by a gateway that inserts LF-only keep-alive comments; "
                         "the comments are added, chunk boundaries and timing chosen.",
                    source="corpus 14 (`14-gemini-text-crlf`), with two LF-only comments added",
                    check=lambda p, t: expect(p.endings["LF"] == 4 and p.endings["CRLF"] > 0, "endings %r" % p.endings)))

    cid, m = "chatcmpl-3b80c2", "llama-3.1-8b-instruct"
    parts = chat_stream(cid, m, ["2", " +", " 2", " =", " 4", "."], fp=None, done=False, finish=False)
    parts.append(b"data: {'id': '" + cid.encode() + b"', 'object': 'chat.completion.chunk', 'created': 1795683601, "
                 b"'model': '" + m.encode() + b"', 'choices': [{'index': 0, 'delta': {}, 'finish_reason': 'stop'}]}\n\n")
    parts.append(b"data: [DONE]\n\n")
    add(written("openai-invalid-json", upstream=local, target="/v1/chat/completions", provider="local",
                req_body=chat_request(m, "What is 2 + 2?"), body_parts=parts, dialect="openai-chat", code="invalid-json",
                teaches="a hand-written server formats its last chunk with Python's `str(dict)` instead of `json.dumps`: "
                        "single quotes are not JSON, clients raise or drop it and the `finish_reason` is lost",
                note="Self-hosted OpenAI-compatible server; the finish chunk is a Python dict repr, not JSON."))

    cid, m = "chatcmpl-5fa7d9", "gpt-4o-mini-2024-07-18"
    whole = compact(chat_chunk(cid, m, {"content": " Paris"}))
    k = whole.index(b"Paris") + 3
    parts = chat_stream(cid, m, ["The", " capital", " of", " France", " is"], done=False, finish=False)
    parts.append(b"data: " + whole[:k] + b"\n\n")
    parts.append(b"data: " + whole[k:] + b"\n\n")
    parts += [sse(chat_chunk(cid, m, {"content": "."})), sse(chat_chunk(cid, m, {}, "stop")), b"data: [DONE]\n\n"]
    add(written("openai-json-split-across-events", upstream=gateway, target="/v1/chat/completions", provider="gateway",
                req_body=chat_request("gpt-4o-mini", "What is the capital of France?"), body_parts=parts,
                dialect="openai-chat", code="json-split-across-events",
                teaches="a gateway wraps each upstream read in its own `data:` event, so one JSON chunk is cut in two "
                        "events (`…\"content\":\" Par` / `is\"}…`); neither half parses, joined they do",
                note="Gateway in front of OpenAI that re-frames upstream reads as events; one chunk's JSON is cut over two events."))

    msg, m = "msg_01XbQ7mP4sNwT9cEo2RfLkVd", "claude-sonnet-4-5-20250929"
    parts = anth_start(msg, m, 18)
    parts += [anth("content_block_delta", text_delta(0, w)) for w in
              ["The three primary", " colours of light are red,", " green and"]]
    parts.append(anth("error", {"type": "error", "error": {"details": None, "type": "overloaded_error", "message": "Overloaded"}}))
    add(written("anthropic-error-event", upstream="https://api.anthropic.com", target="/v1/messages", provider="anthropic",
                req_body=anth_request("claude-sonnet-4-5", "Name the three primary colours of light."), body_parts=parts,
                dialect="anthropic", code="error-event",
                teaches="Anthropic sends `event: error` (`overloaded_error`) after some text, inside an HTTP 200 "
                        "stream: the status said success, the answer stops mid-sentence",
                note="Anthropic Messages stream that fails with overloaded_error after three text deltas; HTTP status 200."))

    cid, m = "chatcmpl-8e4a17", "gpt-4o-mini-2024-07-18"
    add(written("openai-missing-terminator", upstream=gateway, target="/v1/chat/completions", provider="gateway",
                req_body=chat_request("gpt-4o-mini", "Name a prime number."),
                body_parts=chat_stream(cid, m, ["7", " is", " a", " prime", " number", "."], done=False),
                dialect="openai-chat", code="missing-terminator",
                teaches="a gateway drops `data: [DONE]` and closes the connection cleanly: a client cannot tell "
                        "this finished stream from one that was cut off",
                note="Gateway in front of OpenAI that does not forward `data: [DONE]`; the connection closes normally."))

    cid, m = "chatcmpl-2c6b95", "gpt-4o-mini-2024-07-18"
    parts = chat_stream(cid, m, ["Blue", "."])
    parts.append(sse({"object": "gateway.cost", "request_id": "gw-" + hexid("gw cost", 12), "cost_usd": 0.0000213}))
    add(written("openai-data-after-terminator", upstream=gateway, target="/v1/chat/completions", provider="gateway",
                req_body=chat_request("gpt-4o-mini", "What colour is the sky? One word."), body_parts=parts,
                dialect="openai-chat", code="data-after-terminator",
                teaches="a gateway appends its own cost event after `data: [DONE]`; clients stop at `[DONE]` and never "
                        "read it, stricter ones fail on a chunk that has no `choices`",
                note="Gateway in front of OpenAI that sends a `gateway.cost` event after `data: [DONE]`."))

    msg, m = "msg_01Hn3VqL8cKe5WzYt1PaGsDu", "claude-sonnet-4-5-20250929"
    parts = anth_start(msg, m, 402)
    parts += [anth("content_block_delta", text_delta(0, w)) for w in ["I'll check the", " weather in Paris."]]
    parts.append(anth("content_block_stop", {"type": "content_block_stop", "index": 0}))
    # the gateway's filter dropped: content_block_start index 1 (tool_use, name get_weather, id toolu_…)
    for pj in ["", '{"city": "Pa', 'ris"}']:
        parts.append(anth("content_block_delta", {"type": "content_block_delta", "index": 1,
                                                  "delta": {"type": "input_json_delta", "partial_json": pj}}))
    parts += anth_end("tool_use", 54, index=1)
    add(written("anthropic-event-order", upstream=gateway, target="/v1/messages", provider="anthropic",
                req_body=anth_request("claude-sonnet-4-5", "What's the weather in Paris?", tools=[{
                    "name": "get_weather", "description": "Current weather for a city.",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]),
                body_parts=parts, dialect="anthropic", code="event-order", resp_provider="anthropic",
                teaches="`content_block_delta` for index 1 arrives without its `content_block_start`, which carries the "
                        "tool's name and id: a client cannot build the tool call",
                note="Anthropic stream relayed by a gateway whose event filter dropped the tool_use block's content_block_start."))

    msg, m = "msg_01Qe7TkB2yRuW6nJd9FxMcAp", "claude-sonnet-4-5-20250929"
    parts = anth_start(msg, m, 12)
    parts += [sse(text_delta(0, w), "text_delta") for w in ["Bonjour", " le", " monde", "."]]
    parts += anth_end("end_turn", 7)
    add(written("anthropic-event-type-mismatch", upstream=gateway, target="/v1/messages", provider="anthropic",
                req_body=anth_request("claude-sonnet-4-5", "Say 'hello world' in French."), body_parts=parts,
                dialect="anthropic", code="event-type-mismatch", resp_provider="anthropic",
                teaches="a translating gateway names the text events `event: text_delta` while their JSON says "
                        "`content_block_delta`: clients that dispatch on the `event:` name skip them, those that read "
                        "`type` do not",
                note="Gateway that translates another API into Anthropic's format and writes the delta type as the event name."))

    add(written("openai-http-error-status", upstream="https://api.openai.com", target="/v1/chat/completions",
                provider="openai", req_body=chat_request("gpt-4o", "Summarise the attached report."),
                body_parts=[json.dumps({"error": {
                    "message": "Rate limit reached for gpt-4o in organization org-redacted on tokens per min (TPM): "
                               "Limit 30000, Used 29871, Requested 1203. Please try again in 2.148s. Visit "
                               "https://platform.openai.com/account/rate-limits to learn more.",
                    "type": "tokens", "param": None, "code": "rate_limit_exceeded"}}, indent=4).encode() + b"\n"],
                status=429, content_type="application/json; charset=utf-8", head_ms=(140, 200),
                dialect="openai-chat", code="http-error-status",
                teaches="a streaming request refused with HTTP 429 and a JSON error body, not a stream: read the "
                        "status before parsing events",
                note="OpenAI answers a streaming request with 429 rate_limit_exceeded as a plain JSON body."))

    cached = {"id": "chatcmpl-1a9e63", "object": "chat.completion", "created": 1795683601,
              "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, "message": {
                  "role": "assistant", "content": "Photosynthesis turns light, water and carbon dioxide into sugar and oxygen.",
                  "refusal": None, "annotations": []}, "logprobs": None, "finish_reason": "stop"}],
              "usage": {"prompt_tokens": 16, "completion_tokens": 15, "total_tokens": 31},
              "service_tier": "default", "system_fingerprint": "fp_b3b7bb5d2c"}
    add(written("openai-unexpected-content-type", upstream=gateway, target="/v1/chat/completions", provider="gateway",
                req_body=chat_request("gpt-4o-mini", "Explain photosynthesis in one sentence."),
                body_parts=[compact(cached)], content_type="application/json", head_ms=(18, 40),
                dialect="openai-chat", code="unexpected-content-type", stream_accept=True,
                teaches="a caching gateway answers a `\"stream\":true` request with a whole `application/json` "
                        "completion: a streaming client finds no events at all",
                note="Caching gateway that replays a stored non-streaming completion to a streaming request."))

    msg, m = "msg_01Tr8DkW5nBa3ZqXe7HvJcLm", "claude-sonnet-4-5-20250929"
    parts = anth_start(msg, m, 25)
    parts += [anth("content_block_delta", text_delta(0, w)) for w in
              ["Here is a haiku", " about autumn:\n\nCrimson", " leaves descending", "\nWhispering"]]
    add(written("anthropic-truncated", upstream="https://api.anthropic.com", target="/v1/messages", provider="anthropic",
                req_body=anth_request("claude-sonnet-4-5", "Write a haiku about autumn."), body_parts=parts,
                dialect="anthropic", code="truncated", end_state="upstream_reset",
                end_error="transfer closed with outstanding read data remaining",
                teaches="the upstream connection dies mid-answer (libcurl: transfer closed with outstanding read data "
                        "remaining): everything after the last complete event is lost",
                note="Anthropic stream whose connection was reset after four text deltas; recorded as upstream_reset."))

    cid, m = "chatcmpl-6d0f38", "gpt-4o-2024-08-06"
    words = ["Once", " upon", " a", " time", ",", " in", " a", " quiet", " village", " by", " the", " sea", ","]
    add(written("openai-client-disconnected", upstream="https://api.openai.com", target="/v1/chat/completions",
                provider="openai", req_body=chat_request("gpt-4o", "Tell me a long story about a lighthouse keeper."),
                body_parts=chat_stream(cid, m, words, done=False, finish=False),
                dialect="openai-chat", code="client-disconnected", end_state="client_disconnected",
                teaches="the client hung up (a user pressed stop) before the stream ended: not a provider fault, "
                        "and the tape shows exactly how much the user saw",
                note="OpenAI stream abandoned by the client after thirteen deltas; recorded as client_disconnected."))

    cid, m = "chatcmpl-4e7c20", "gpt-4o-2024-08-06"
    words = ["The", " Treaty", " of", " Westphalia", " was", " signed", " in", " 1648", ",", " ending", " the",
             " Thirty", " Years", "'", " War", "."]
    add(written("openai-stall", upstream="https://api.openai.com", target="/v1/chat/completions", provider="openai",
                req_body=chat_request("gpt-4o", "When was the Treaty of Westphalia signed?"),
                body_parts=chat_stream(cid, m, words), gaps={8: 28_000.0},
                dialect="openai-chat", code="stall",
                teaches="28 seconds pass with no byte between two chunks mid-answer, then the stream completes: a "
                        "client with a shorter read timeout gives up on an answer that was still coming",
                note="OpenAI stream that falls silent for 28 seconds before the chunk carrying \" 1648\", then completes normally.",
                check=lambda p, t: expect(t.chunks[8][0] - t.chunks[7][0] == 28_000_000_000, "gap is not 28 s")))

    g = "gemini-2.5-pro"

    def gem(text: str | None, finish: bool = False, tokens: int = 0) -> bytes:
        cand = {"content": {"parts": [{"text": text}] if text is not None else [], "role": "model"}, "index": 0}
        if finish:
            cand["finishReason"] = "STOP"
        o = {"candidates": [cand], "usageMetadata": {"promptTokenCount": 9, "candidatesTokenCount": tokens,
                                                     "totalTokenCount": 9 + tokens + 1412, "thoughtsTokenCount": 1412},
             "modelVersion": g, "responseId": "kX8mZ" + hexid("gem slow", 12)}
        return b"data: " + json.dumps(o, separators=(",", ": ")).encode() + b"\r\n\r\n"

    add(written("gemini-slow-first-byte", upstream="https://generativelanguage.googleapis.com",
                target="/v1beta/models/%s:streamGenerateContent?alt=sse" % g, provider="gemini",
                req_body={"contents": [{"role": "user", "parts": [{"text": "Is 1001 a prime number? Answer briefly."}]}]},
                body_parts=[gem("No. 1001 = 7 × 11 × 13, so it", tokens=11),
                            gem(" is not prime.", finish=True, tokens=15)],
                head_ms=(12_018, 12_019), first_ms=12_019.35,
                dialect="gemini", code="slow-first-byte",
                teaches="Gemini 2.5 Pro thinks silently (thoughts not requested) for 12 s before the first byte: "
                        "slow, not broken, and a client with a 10 s first-byte timeout fails it",
                note="Gemini 2.5 Pro stream whose first byte arrives after 12 seconds of hidden thinking."))

    # A clean stream whose chunk boundary falls inside a UTF-8 character (corpus 11, "Pelé").
    a11 = (CORPUS / INDEX["11"]["filename"]).read_bytes()
    e_pos = a11.index("Pelé".encode("utf-8")) + 4  # just after the first byte of é (C3 A9)
    add(from_corpus("anthropic-split-utf8-chunk", "11", "anthropic", "anthropic",
                    "clean, but one read ends inside `é` (bytes C3 | A9): legal, the bytes are fine once joined; "
                    "a client must buffer bytes and decode complete characters, never chunk by chunk",
                    forced=(e_pos,), code="split-utf8-chunk", p_split=0.0,
                    note="Real Anthropic Messages stream (corpus 11); chunk boundaries and timing chosen: one read "
                         "ends between the two bytes of é, so that chunk and the next are stored as b64.",
                    check=lambda p, t: expect(sum(1 for _, b in t.chunks if _not_utf8(b)) == 2 and not _not_utf8(t.body),
                                              "split-utf8-chunk: expected exactly two non-UTF-8 chunks")))


def go_time(ns: int) -> str:
    """Go's time.RFC3339Nano in UTC: `2026-11-26T07:09:00.311172Z` (trailing zeros dropped)."""
    frac = ("%09d" % (ns % 1_000_000_000)).rstrip("0")
    return iso(ns // 1_000_000)[:19] + ("." + frac if frac else "") + "Z"


def _not_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return False
    except UnicodeDecodeError:
        return True


# ---------------------------------------------------------------------------------------------
# A small independent lint, to check each broken sample shows its finding and nothing unintended

# Findings that follow from the intended one by nature (a stream that stops early has no end marker).
CONSEQUENCES = {"unterminated-event": {"missing-terminator"}, "error-event": {"missing-terminator"},
                "truncated": {"missing-terminator"}, "client-disconnected": {"missing-terminator"}}


def strict_json(text: str):
    def bad(c):
        raise ValueError(c)
    return json.loads(text, parse_constant=bad)


def lint(s: Sample, parsed: Parsed | None) -> set[str]:
    t, found = s.tape, set()
    if t.end_state in ("upstream_reset", "upstream_error", "proxy_error", "interrupted"):
        found.add("truncated")
    if t.end_state == "client_disconnected":
        found.add("client-disconnected")
    times = [x for x, _ in t.chunks]
    if any(b - a > 5_000_000_000 for a, b in zip(times, times[1:])):
        found.add("stall")
    if times and times[0] > 10_000_000_000:
        found.add("slow-first-byte")
    if not 200 <= (t.status or 0) < 300:
        return found | {"http-error-status"}
    ctype = dict((n.lower(), v) for n, v in t.resp_headers).get("content-type", "")
    streaming = json.loads(t.req_body).get("stream", s.dialect == "ollama")
    if streaming and not (ctype.startswith("text/event-stream") or ctype.startswith("application/x-ndjson")):
        return found | {"unexpected-content-type"}
    if _not_utf8(t.body):
        found.add("invalid-utf8")
    if s.dialect == "ollama":
        objs = [strict_json(x) for x in t.body.splitlines() if x.strip()]
        if not objs or objs[-1].get("done") is not True:
            found.add("missing-terminator")
        return found
    if parsed.unterminated is not None:
        found.add("unterminated-event")
    if parsed.unknown_fields:
        found.add("unknown-field")
    if sum(1 for v in parsed.endings.values() if v) > 1:
        found.add("mixed-line-endings")
    events = parsed.events
    objs: list = []
    i = 0
    while i < len(events):
        d = events[i]["data"]
        if s.dialect == "openai-chat" and d == "[DONE]":
            objs.append("[DONE]")
            i += 1
            continue
        try:
            objs.append(strict_json(d))
        except ValueError:
            joined = None
            if i + 1 < len(events):
                try:
                    joined = strict_json(d + events[i + 1]["data"])
                except ValueError:
                    pass
            if joined is not None:
                found.add("json-split-across-events")
                objs.append(joined)
                i += 2
                continue
            found.add("invalid-json")
            objs.append(None)
        i += 1
    ends: list[int] = []
    if s.dialect == "openai-chat":
        ends = [k for k, o in enumerate(objs) if o == "[DONE]"]
        if any(isinstance(o, dict) and "error" in o for o in objs):
            found.add("error-event")
    elif s.dialect == "anthropic":
        started: set[int] = set()
        for k, (e, o) in enumerate(zip(events, objs)):
            if not isinstance(o, dict):
                continue
            if o.get("type") != e["event"]:
                found.add("event-type-mismatch")
            kind = o.get("type")
            if kind == "error":
                found.add("error-event")
            elif kind == "content_block_start":
                started.add(o["index"])
            elif kind in ("content_block_delta", "content_block_stop") and o["index"] not in started:
                found.add("event-order")
            elif kind == "message_stop":
                ends.append(k)
    elif s.dialect == "openai-responses":
        seqs = [o["sequence_number"] for o in objs if isinstance(o, dict) and "sequence_number" in o]
        if any(b != a + 1 for a, b in zip(seqs, seqs[1:])):
            found.add("event-order")
        ends = [k for k, o in enumerate(objs) if isinstance(o, dict) and o.get("type") in
                ("response.completed", "response.incomplete", "response.failed")]
    elif s.dialect == "gemini":
        for k, o in enumerate(objs):
            if isinstance(o, dict) and "error" in o:
                found.add("error-event")
            if isinstance(o, dict) and any(c.get("finishReason") for c in o.get("candidates", [])):
                ends.append(k)
    if not ends:
        found.add("missing-terminator")
    elif ends[0] < len(objs) - 1:
        found.add("data-after-terminator")
    return found


# ---------------------------------------------------------------------------------------------
# Validation


def validate(s: Sample, text: str) -> None:
    t = s.tape
    back = read_back(text)
    expect(back["end"]["end"] == t.end_state, "end state")
    expect(b"".join(b for _, b in back["chunks"]) == t.body, "chunks do not read back to the body")
    expect(len(text.encode("utf-8").splitlines()) == len(t.chunks) + 2, "line count")
    # Re-encode what was read: the tape is in canonical form.
    head = back["head"]
    expect(head["request"]["body"].encode("utf-8") == t.req_body, "request body")
    for h in (head["request"]["headers"], head.get("response", {}).get("headers", [])):
        for name, value in h:
            lower = name.lower()
            if lower in ("authorization", "x-api-key", "x-goog-api-key"):
                expect(value.startswith("redacted:"), "credential header not redacted")
    chunks = [b for _, b in back["chunks"]]
    parsed = parse_sse(chunks) if s.dialect != "ollama" else None
    if s.corpus_id and s.code in ("clean", "split-utf8-chunk"):
        files = corpus_files(s.corpus_id)
        expect(t.body == files["sse"].read_bytes(), "body differs from the corpus stream")
        want = [json.loads(line) for line in files["events"].read_text(encoding="utf-8").splitlines() if line]
        expect(parsed.events == want, "%s: events differ from %s" % (t.name, files["events"].name))
        expect(parsed.unterminated is None and not parsed.unknown_fields, "clean stream has problems")
        pieces = len(t.chunks)
        inside = sum(1 for b in chunks[:-1] if not (b.endswith(b"\n\n") or b.endswith(b"\r\n\r\n")))
        expect(pieces > 1 and inside >= (1 if s.code == "split-utf8-chunk" else 0), "no realistic cuts")
    if s.dialect == "ollama":
        objs = [json.loads(x) for x in t.body.splitlines()]
        expect(all(o["done"] is False for o in objs[:-1]) and objs[-1]["done"] is True
               and objs[-1]["done_reason"] == "stop", "ollama lines")
    if s.check:
        s.check(parsed, t)
    want = set() if s.code in ("clean", "split-utf8-chunk") else {s.code}
    got = lint(s, parsed)
    expect(want <= got <= want | CONSEQUENCES.get(s.code, set()), "%s: lint found %s, meant %s" % (t.name, sorted(got), sorted(want)))
    s.lint = got
    # Timing sanity: no gap above 5 s and first chunk before 10 s, except where that is the point.
    times = [x for x, _ in back["chunks"]]
    gaps = [b - a for a, b in zip(times, times[1:])]
    if s.code != "stall":
        expect(all(g < 5 for g in gaps), "%s: unexpected stall" % t.name)
    if s.code != "slow-first-byte" and times:
        expect(times[0] < 1, "%s: slow first byte" % t.name)
    if s.code == "slow-first-byte":
        expect(times[0] >= 12, "first byte before 12 s")
    if s.code == "stall":
        expect(max(gaps) >= 28, "no 28 s gap")


# ---------------------------------------------------------------------------------------------
# README


def readme() -> str:
    rows = []
    for s in SAMPLES:
        finding = "clean" if s.code == "clean" else ("clean (`split-utf8-chunk`)" if s.code == "split-utf8-chunk" else "`%s`" % s.code)
        if s.corpus_id:
            row = INDEX[s.corpus_id]
            src = "%s; %s (%s)" % (s.source, row["source_repo"], LICENCES[row["source_repo"]])
        else:
            src = s.source
        rows.append("| `%s.tape.jsonl` | %s | %s | %s | %s |" % (s.tape.name, s.dialect, finding, s.teaches.replace("|", "\\|"), src))
    used = sorted({s.corpus_id for s in SAMPLES if s.corpus_id})
    prov = []
    for cid in used:
        row = INDEX[cid]
        prov.append("- corpus %s `%s`: %s, `%s`, commit `%s`, licence %s." % (
            cid, row["filename"][:-4], row["source_repo"], row["source_path"], row["commit_or_note"],
            LICENCES[row["source_repo"]]))
    return "\n".join([
        "# Sample tapes",
        "",
        "Tape files (`*.tape.jsonl`, one exchange each; format in the design notes, \"Tape file\") to try",
        "`streamtape` on: clean streams from real providers, and small broken ones that each show one",
        "diagnostic. All of them are generated by `python3 scripts/make_captures.py`, which rewrites this",
        "folder byte-identically (`--check` compares instead of writing). Do not edit them by hand.",
        "",
        "**Chunk boundaries and timing are chosen, not recorded.** The real streams come from other",
        "projects' HTTP test cassettes, which kept only the joined response body: the bytes are exactly what",
        "the provider sent, but where the reads were cut (several events in one read, an event split over",
        "two reads, one read ending inside a CRLF or inside a UTF-8 character) and when they arrived (first",
        "byte after 200-600 ms, 10-80 ms between events) were chosen by the script with a fixed seed.",
        "Request headers are plausible, not recorded; credential headers show the form the recorder stores",
        "(`redacted:` and a fingerprint). Timestamps are fixed.",
        "",
        "| file | dialect | finding | what it teaches | where it came from |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "Broken samples keep to one finding where the protocol allows it. Streams that end early",
        "(`error-event`, `truncated`, `client-disconnected`) have no end marker by nature, and the 429 in",
        "`openai-http-error-status` is `application/json` by nature; a checker reports the cause there. In",
        "`openai-unterminated-event` the unterminated event is the `[DONE]` itself, which is why it matters.",
        "Upstreams `http://127.0.0.1:4000` (a gateway in front of a provider), `:8000` (a self-hosted",
        "OpenAI-compatible server) and `:8080` (a llama.cpp-style server) stand for the software at fault.",
        "",
        "## Provenance",
        "",
        "Stream bodies marked \"corpus\" are copied byte-exact from `%s/` (the project's" % CORPUS_REL,
        "real-streams corpus), which holds them with their provenance. Their sources:",
        "",
        *prov,
        "",
        "Licences: pydantic/pydantic-ai (MIT), simonw/llm and simonw/llm-anthropic (Apache-2.0). The other",
        "samples were written for streamtape; the Ollama one follows Ollama's public `/api/chat` docs.",
        "",
    ])


# ---------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    build()
    names = [s.tape.name for s in SAMPLES]
    assert len(names) == len(set(names)), "duplicate names"
    files: dict[str, str] = {}
    for s in SAMPLES:
        text = s.tape.encode()
        validate(s, text)
        expect(s.tape.encode() == text, "encoding is not deterministic")
        files[s.tape.name + ".tape.jsonl"] = text
    files["README.md"] = readme()
    stale = []
    OUT.mkdir(exist_ok=True)
    for fname, text in files.items():
        path = OUT / fname
        old = path.read_bytes() if path.exists() else None
        if old != text.encode("utf-8"):
            stale.append(fname)
            if not check_only:
                path.write_bytes(text.encode("utf-8"))
    extra = sorted(p.name for p in OUT.glob("*.tape.jsonl") if p.name not in files)
    if check_only:
        for f in stale + extra:
            print("differs: captures/" + f, file=sys.stderr)
        return 1 if stale or extra else 0
    for f in extra:
        print("note: captures/%s is not generated by this script" % f, file=sys.stderr)
    if "-v" in argv:
        for s in SAMPLES:
            print("%-45s %s" % (s.tape.name, ", ".join(sorted(s.lint)) or "clean"))
    print("wrote %d tapes and README.md to captures/ (%d changed)" % (len(SAMPLES), len(stale)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

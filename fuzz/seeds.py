#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target from captures/ and the core test fixtures.

usage: seeds.py TARGET OUT_DIR   (TARGET: analysis, tape, replay, cassette, har, record-http, replay-http)
Each seed is laid out as the target's entry file describes (fuzz/targets/ or fuzz/harness/Sources/).
"""
import base64, glob, hashlib, json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests/StreamtapeCoreTests/Fixtures")
IMPORT_FIXTURES = os.path.join(ROOT, "Tests/StreamtapeImportTests/Fixtures")


def tapes():
    return sorted(glob.glob(os.path.join(ROOT, "captures/*.tape.jsonl")) +
                  glob.glob(os.path.join(FIXTURES, "**/*.tape.jsonl"), recursive=True))


def read_tape(path):
    """(request dict, joined body bytes) of a tape, or None when it does not read."""
    try:
        lines = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    except ValueError:
        return None
    body = b""
    for line in lines[1:]:
        if "text" in line:
            body += line["text"].encode()
        elif "b64" in line:
            body += base64.b64decode(line["b64"])
    return lines[0].get("request", {}), body


def request_bytes(req):
    body = req.get("body", "").encode() if "body" in req else base64.b64decode(req.get("body_b64", ""))
    return f"{req.get('method', '')} {req.get('target', '')}\n".encode() + body


def seeds(target):
    if target == "tape":
        for path in tapes():
            yield open(path, "rb").read()
    elif target == "analysis":
        bodies = [t[1] for t in map(read_tape, tapes()) if t]
        bodies += [open(p, "rb").read() for p in sorted(glob.glob(os.path.join(FIXTURES, "**/*.sse"), recursive=True) +
                                                        glob.glob(os.path.join(FIXTURES, "**/*.ndjson"), recursive=True))]
        for body in bodies:
            yield bytes([0x06, 0x00]) + body          # detected dialect, event-stream, no path, one chunk
            yield bytes([0x0E, 0x27]) + body          # detected, ndjson content type, 7-byte chunks
    elif target == "replay":
        requests = [request_bytes(t[0]) for t in map(read_tape, tapes()) if t]
        for p in sorted(glob.glob(os.path.join(FIXTURES, "real-streams/*.request.json"))):
            requests.append(b"POST /v1/chat/completions\n" + open(p, "rb").read())
        for i, r in enumerate(requests):
            yield bytes([i % 3]) + b"metadata.user,messages.*.name\0" + r + b"\0" + r
        yield bytes([0]) + b"\0" + b"\0".join(requests)
        for p in sorted(glob.glob(os.path.join(FIXTURES, "regressions/*.replay"))):
            yield open(p, "rb").read()
    elif target == "cassette":
        for p in sorted(glob.glob(os.path.join(IMPORT_FIXTURES, "*.yaml")) + glob.glob(os.path.join(IMPORT_FIXTURES, "*.json"))):
            yield open(p, "rb").read()
        for name, coding in [("bomb-300MiB.gz.gz", "gzip, gzip"), ("bomb-300MiB.br", "br")]:
            yield cassette(open(os.path.join(IMPORT_FIXTURES, name), "rb").read(), coding)
        yield from regressions("cassette")
    elif target == "har":
        for p in sorted(glob.glob(os.path.join(IMPORT_FIXTURES, "*.har"))):
            yield open(p, "rb").read()
        yield from regressions("har")
    elif target in ("record-http", "replay-http"):
        requests = [http_request(t[0]) for t in map(read_tape, tapes()) if t]
        requests += [b"GET /__streamtape/health HTTP/1.1\r\nHost: x\r\n\r\n", b"POST /__streamtape/reset HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"GET /__streamtape/misses HTTP/1.0\r\n\r\n", b"HEAD /v1/models HTTP/1.1\r\nHost: x\r\n\r\n",
                     b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\n\r\n",
                     b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}"]
        for i, r in enumerate(requests):
            yield bytes([i * 37 % 256, i % 4]) + r                       # one request, i % 4 + 1 writes
            yield bytes([i * 11 % 256, 0x0D]) + r + requests[(i + 1) % len(requests)]   # pipelined, 2 writes, 6 s
        yield from regressions(target)
    else:
        sys.exit(f"unknown target {target}")


def regressions(target):
    """The target's regression inputs kept for `swift test` (their file names start with the target's name)."""
    for p in sorted(glob.glob(os.path.join(ROOT, "Tests/*/Fixtures/regressions", target + "-*"))):
        yield open(p, "rb").read()


def cassette(body, coding):
    """A one-interaction vcrpy cassette whose response is `body` (as !!binary) under Content-Encoding `coding`."""
    return (f"interactions:\n- request:\n    body: null\n    headers: {{}}\n    method: GET\n    uri: https://x.test/\n"
            f"  response:\n    body:\n      string: !!binary |\n        {base64.b64encode(body).decode()}\n"
            f"    headers:\n      Content-Encoding:\n      - {coding}\n    status:\n      code: 200\n      message: OK\n"
            f"version: 1\n").encode()


def http_request(req):
    """A tape's request as the bytes an HTTP/1.1 client sends."""
    body = req.get("body", "").encode() if "body" in req else base64.b64decode(req.get("body_b64", ""))
    head = f"{req.get('method', 'GET')} {req.get('target', '/')} HTTP/1.1\r\nHost: x\r\n"
    for h in req.get("headers", []):
        if isinstance(h, list) and len(h) == 2 and h[0].lower() not in ("content-length", "transfer-encoding", "host"):
            head += f"{h[0]}: {h[1]}\r\n"
    return (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def main():
    target, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for seed in seeds(target):
        with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), "wb") as f:
            f.write(seed)


if __name__ == "__main__":
    main()
